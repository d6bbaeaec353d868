// What each file of fixtures/pgroll/ does to the catalogue after start + complete: the lines
// that appear and the lines that go (see helpers/catalogue.ts for the line format). Each was
// checked by hand against what the file asks for.
export const expectations: Record<string, { added: string[]; removed: string[] }> = {
  "01_create_tables.yaml": {
    added: [
      "col authors.bio text",
      "col authors.email text NOT NULL",
      "col authors.id integer NOT NULL DEFAULT nextval('authors_id_seq'::regclass)",
      "col authors.name character varying(255) NOT NULL",
      "col books.author_id integer NOT NULL",
      "col books.id integer NOT NULL IDENTITY BY DEFAULT",
      "col books.isbn text",
      "col books.price numeric(10,2) NOT NULL DEFAULT 0",
      "col books.title text NOT NULL",
      "col books.title_upper text DEFAULT upper(title) STORED",
      "comment authors people who write books",
      "comment authors.bio a short biography",
      "con authors.authors_email_key UNIQUE (email)",
      "con authors.authors_pkey PRIMARY KEY (id)",
      "con books.books_author_fk FOREIGN KEY (author_id) REFERENCES authors(id) MATCH FULL ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
      "con books.books_isbn_key UNIQUE NULLS NOT DISTINCT (isbn)",
      "con books.books_pkey PRIMARY KEY (id)",
      "con books.books_price_positive CHECK ((price >= (0)::numeric)) NO INHERIT",
      "con books.title_length CHECK ((length(title) > 0))",
      "idx authors.authors_email_key CREATE UNIQUE INDEX authors_email_key ON public.authors USING btree (email)",
      "idx authors.authors_pkey CREATE UNIQUE INDEX authors_pkey ON public.authors USING btree (id)",
      "idx books.books_isbn_key CREATE UNIQUE INDEX books_isbn_key ON public.books USING btree (isbn) NULLS NOT DISTINCT WITH (fillfactor='80')",
      "idx books.books_pkey CREATE UNIQUE INDEX books_pkey ON public.books USING btree (id)",
      "schema public_01_create_tables",
    ],
    removed: [
    ],
  },
  "02_composite_key.json": {
    added: [
      "col editions.book_id integer NOT NULL",
      "col editions.edition integer NOT NULL",
      "col editions.published date",
      "comment editions.published first day on sale",
      "con editions.editions_book_fk FOREIGN KEY (book_id) REFERENCES books(id) ON DELETE CASCADE DEFERRABLE",
      "con editions.editions_no_overlap EXCLUDE USING btree (book_id WITH =, edition WITH =)",
      "con editions.editions_pkey PRIMARY KEY (book_id, edition)",
      "idx editions.editions_no_overlap CREATE INDEX editions_no_overlap ON public.editions USING btree (book_id, edition)",
      "idx editions.editions_pkey CREATE UNIQUE INDEX editions_pkey ON public.editions USING btree (book_id, edition)",
      "schema public_02_composite_key",
    ],
    removed: [
      "schema public_01_create_tables",
    ],
  },
  "03_seed.yaml": {
    added: [
      "schema public_03_seed",
    ],
    removed: [
      "schema public_02_composite_key",
    ],
  },
  "04_add_columns.yaml": {
    added: [
      "col authors.country text",
      "col authors.slug text NOT NULL",
      "col books.editor_id integer",
      "col books.pages integer NOT NULL DEFAULT 1",
      "comment authors.country where they live",
      "con authors.authors_slug_key UNIQUE (slug)",
      "con books.books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors(id) ON DELETE SET NULL",
      "con books.pages_nonneg CHECK ((pages >= 0))",
      "idx authors.authors_slug_key CREATE UNIQUE INDEX authors_slug_key ON public.authors USING btree (slug)",
      "schema public_04_add_columns",
    ],
    removed: [
      "schema public_03_seed",
    ],
  },
  "05_create_indexes.yaml": {
    added: [
      "idx authors.authors_bio_partial CREATE INDEX authors_bio_partial ON public.authors USING btree (name) WHERE (bio IS NOT NULL)",
      "idx authors.authors_email_c CREATE UNIQUE INDEX authors_email_c ON public.authors USING btree (email COLLATE \"C\")",
      "idx books.books_pages_brin CREATE INDEX books_pages_brin ON public.books USING brin (pages)",
      "idx books.books_title_idx CREATE INDEX books_title_idx ON public.books USING btree (title text_pattern_ops DESC NULLS LAST, author_id) WITH (fillfactor='70')",
      "schema public_05_create_indexes",
    ],
    removed: [
      "schema public_04_add_columns",
    ],
  },
  "06_alter_columns.yaml": {
    added: [
      "col authors.bio character varying(500)",
      "col books.price numeric(10,2) NOT NULL DEFAULT 5",
      "comment authors.country ISO 3166 country code",
      "schema public_06_alter_columns",
    ],
    removed: [
      "col authors.bio text",
      "col books.price numeric(10,2) NOT NULL DEFAULT 0",
      "comment authors.country where they live",
      "schema public_05_create_indexes",
    ],
  },
  "07_alter_nullability.json": {
    added: [
      "col authors.bio character varying(500) NOT NULL",
      "col authors.email text",
      "schema public_07_alter_nullability",
    ],
    removed: [
      "col authors.bio character varying(500)",
      "col authors.email text NOT NULL",
      "schema public_06_alter_columns",
    ],
  },
  "08a_calendar.yaml": {
    added: [
      "col calendar.day date NOT NULL",
      "con calendar.calendar_pkey PRIMARY KEY (day)",
      "idx calendar.calendar_pkey CREATE UNIQUE INDEX calendar_pkey ON public.calendar USING btree (day)",
      "schema public_08a_calendar",
    ],
    removed: [
      "schema public_07_alter_nullability",
    ],
  },
  "08b_alter_constraints.yaml": {
    added: [
      "con authors.authors_country_key UNIQUE (country)",
      "con books.isbn_long_enough CHECK ((length(isbn) >= 4))",
      "con editions.editions_published_fk FOREIGN KEY (published) REFERENCES calendar(day)",
      "idx authors.authors_country_key CREATE UNIQUE INDEX authors_country_key ON public.authors USING btree (country)",
      "schema public_08b_alter_constraints",
    ],
    removed: [
      "schema public_08a_calendar",
    ],
  },
  "09_create_constraints.yaml": {
    added: [
      "con authors.authors_name_email_key UNIQUE (name, email)",
      "con books.books_isbn_editions_fk FOREIGN KEY (id) REFERENCES books(id) ON UPDATE CASCADE",
      "con books.books_pages_limit CHECK ((pages < 100000))",
      "idx authors.authors_name_email_key CREATE UNIQUE INDEX authors_name_email_key ON public.authors USING btree (name, email)",
      "schema public_09_create_constraints",
    ],
    removed: [
      "schema public_08b_alter_constraints",
    ],
  },
  "10_reviews.yaml": {
    added: [
      "col reviews.book_id integer",
      "col reviews.reviewer text NOT NULL",
      "col reviews.stars smallint NOT NULL DEFAULT 3",
      "schema public_10_reviews",
    ],
    removed: [
      "schema public_09_create_constraints",
    ],
  },
  "11_primary_key.yaml": {
    added: [
      "col reviews.book_id integer NOT NULL",
      "con reviews.reviews_pkey PRIMARY KEY (book_id, reviewer)",
      "idx reviews.reviews_pkey CREATE UNIQUE INDEX reviews_pkey ON public.reviews USING btree (book_id, reviewer)",
      "schema public_11_primary_key",
    ],
    removed: [
      "col reviews.book_id integer",
      "schema public_10_reviews",
    ],
  },
  "12_rename_constraint.yaml": {
    added: [
      "con books.books_title_length CHECK ((length(title) > 0))",
      "schema public_12_rename_constraint",
    ],
    removed: [
      "con books.title_length CHECK ((length(title) > 0))",
      "schema public_11_primary_key",
    ],
  },
  "13_drop_constraints.yaml": {
    added: [
      "schema public_13_drop_constraints",
    ],
    removed: [
      "con authors.authors_name_email_key UNIQUE (name, email)",
      "con books.pages_nonneg CHECK ((pages >= 0))",
      "idx authors.authors_name_email_key CREATE UNIQUE INDEX authors_name_email_key ON public.authors USING btree (name, email)",
      "schema public_12_rename_constraint",
    ],
  },
  "14_replica_identity.json": {
    added: [
      "replica authors i",
      "replica books f",
      "schema public_14_replica_identity",
    ],
    removed: [
      "schema public_13_drop_constraints",
    ],
  },
  "15_sql_on_complete.yaml": {
    added: [
      "col audit.at timestamp with time zone NOT NULL DEFAULT now()",
      "col audit.id bigint NOT NULL DEFAULT nextval('audit_id_seq'::regclass)",
      "con audit.audit_pkey PRIMARY KEY (id)",
      "idx audit.audit_pkey CREATE UNIQUE INDEX audit_pkey ON public.audit USING btree (id)",
      "schema library_v15",
    ],
    removed: [
      "schema public_14_replica_identity",
    ],
  },
  "16_renames_and_drops.yaml": {
    added: [
      "col authors.biography character varying(500) NOT NULL",
      "col book_editions.book_id integer NOT NULL",
      "col book_editions.edition integer NOT NULL",
      "col book_editions.published date",
      "col books.isbn13 text",
      "comment authors.biography a short biography",
      "comment book_editions.published first day on sale",
      "con book_editions.editions_book_fk FOREIGN KEY (book_id) REFERENCES books(id) ON DELETE CASCADE DEFERRABLE",
      "con book_editions.editions_no_overlap EXCLUDE USING btree (book_id WITH =, edition WITH =)",
      "con book_editions.editions_pkey PRIMARY KEY (book_id, edition)",
      "con book_editions.editions_published_fk FOREIGN KEY (published) REFERENCES calendar(day)",
      "con books.books_isbn_key UNIQUE NULLS NOT DISTINCT (isbn13)",
      "con books.isbn_long_enough CHECK ((length(isbn13) >= 4))",
      "idx book_editions.editions_no_overlap CREATE INDEX editions_no_overlap ON public.book_editions USING btree (book_id, edition)",
      "idx book_editions.editions_pkey CREATE UNIQUE INDEX editions_pkey ON public.book_editions USING btree (book_id, edition)",
      "idx books.books_isbn_key CREATE UNIQUE INDEX books_isbn_key ON public.books USING btree (isbn13) NULLS NOT DISTINCT WITH (fillfactor='80')",
      "schema public_16_renames_and_drops",
    ],
    removed: [
      "col authors.bio character varying(500) NOT NULL",
      "col books.isbn text",
      "col books.price numeric(10,2) NOT NULL DEFAULT 5",
      "col editions.book_id integer NOT NULL",
      "col editions.edition integer NOT NULL",
      "col editions.published date",
      "comment authors.bio a short biography",
      "comment editions.published first day on sale",
      "con books.books_isbn_key UNIQUE NULLS NOT DISTINCT (isbn)",
      "con books.books_price_positive CHECK ((price >= (0)::numeric)) NO INHERIT",
      "con books.isbn_long_enough CHECK ((length(isbn) >= 4))",
      "con editions.editions_book_fk FOREIGN KEY (book_id) REFERENCES books(id) ON DELETE CASCADE DEFERRABLE",
      "con editions.editions_no_overlap EXCLUDE USING btree (book_id WITH =, edition WITH =)",
      "con editions.editions_pkey PRIMARY KEY (book_id, edition)",
      "con editions.editions_published_fk FOREIGN KEY (published) REFERENCES calendar(day)",
      "idx authors.authors_bio_partial CREATE INDEX authors_bio_partial ON public.authors USING btree (name) WHERE (bio IS NOT NULL)",
      "idx books.books_isbn_key CREATE UNIQUE INDEX books_isbn_key ON public.books USING btree (isbn) NULLS NOT DISTINCT WITH (fillfactor='80')",
      "idx editions.editions_no_overlap CREATE INDEX editions_no_overlap ON public.editions USING btree (book_id, edition)",
      "idx editions.editions_pkey CREATE UNIQUE INDEX editions_pkey ON public.editions USING btree (book_id, edition)",
      "schema library_v15",
    ],
  },
  "17_drop_table.yaml": {
    added: [
      "schema public_17_drop_table",
    ],
    removed: [
      "col reviews.book_id integer NOT NULL",
      "col reviews.reviewer text NOT NULL",
      "col reviews.stars smallint NOT NULL DEFAULT 3",
      "con reviews.reviews_pkey PRIMARY KEY (book_id, reviewer)",
      "idx reviews.reviews_pkey CREATE UNIQUE INDEX reviews_pkey ON public.reviews USING btree (book_id, reviewer)",
      "schema public_16_renames_and_drops",
    ],
  },
};
