-- The schema before the migration: v1 of the service calls the column "nme" (a typo
-- nobody could fix without downtime).
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  nme text NOT NULL,
  email text
);
INSERT INTO users (nme, email) SELECT 'user ' || g, 'user' || g || '@example.com' FROM generate_series(1, 5000) g;
ANALYZE users;
