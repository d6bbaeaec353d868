// Security requirements and schemes. A client that met one of the old alternatives must
// still meet one of the new ones; a new alternative, or fewer scopes, only lets more in.
import { isObj, type Loc, type Report, type Segments } from './diff-report.js';

type Obj = Record<string, any>;
type Requirement = Record<string, string[]>;

const alternatives = (reqs: unknown): Requirement[] => (Array.isArray(reqs) && reqs.length ? (reqs.filter(isObj) as Requirement[]) : [{}]);
const meets = (have: Requirement, need: Requirement) =>
  Object.entries(need).every(([scheme, scopes]) => Array.isArray(have[scheme]) && (scopes ?? []).every((s) => have[scheme].includes(s)));
const describe = (reqs: Requirement[]) =>
  reqs
    .map((r) =>
      Object.keys(r).length === 0
        ? 'no authentication'
        : Object.entries(r)
            .map(([s, scopes]) => (scopes?.length ? `${s} (${scopes.join(', ')})` : s))
            .join(' + '),
    )
    .join(' or ');
const sameSchemes = (a: Requirement, b: Requirement) => Object.keys(a).sort().join() === Object.keys(b).sort().join();

export function diffSecurity(report: Report, loc: Loc, at: Segments, oldReqs: unknown, newReqs: unknown, own: boolean): void {
  const olds = alternatives(oldReqs);
  const news = alternatives(newReqs);
  const pointer = own ? [...at, 'security'] : ['security'];
  const name = `${loc.method} ${loc.path}`;
  const unmet = olds.filter((o) => !news.some((n) => meets(o, n)));
  if (unmet.length) {
    const noAuth = unmet.some((o) => Object.keys(o).length === 0);
    const moreScopes = !noAuth && unmet.every((o) => news.some((n) => sameSchemes(o, n)));
    report.add(
      noAuth ? 'security-requirement-added' : moreScopes ? 'security-scope-added' : 'security-alternative-removed',
      loc,
      pointer,
      `${name} now requires ${describe(news)}, where it accepted ${describe(olds)}`,
    );
  } else if (news.some((n) => !olds.some((o) => meets(n, o)))) {
    report.add('security-relaxed', loc, pointer, `${name} now accepts ${describe(news)}, where it required ${describe(olds)}`);
  }
}

export function diffSecuritySchemes(report: Report, a: unknown, b: unknown): void {
  const olds: Obj = isObj(a) ? a : {};
  const news: Obj = isObj(b) ? b : {};
  const at = (name: string) => ['components', 'securitySchemes', name];
  for (const [name, s] of Object.entries(olds)) {
    const t = news[name];
    if (!isObj(t)) {
      report.add('security-scheme-removed', {}, at(name), `Security scheme ${name} was removed`);
      continue;
    }
    if (!isObj(s)) continue;
    const shape = (x: Obj) => [x.type, x.in, x.name, x.scheme?.toLowerCase?.()].join('|');
    if (shape(s) !== shape(t))
      report.add(
        'security-scheme-changed',
        {},
        at(name),
        `Security scheme ${name} is now ${[t.type, t.in, t.name, t.scheme].filter(Boolean).join(' ')}, where it was ${[s.type, s.in, s.name, s.scheme].filter(Boolean).join(' ')}`,
      );
    for (const [flow, f] of Object.entries(isObj(s.flows) ? s.flows : {})) {
      const g = isObj(t.flows) ? t.flows[flow] : undefined;
      if (!isObj(f) || !isObj(g)) continue;
      const gone = Object.keys(isObj(f.scopes) ? f.scopes : {}).filter((x) => !(isObj(g.scopes) && x in g.scopes));
      if (gone.length)
        report.add(
          'security-scheme-scope-removed',
          {},
          [...at(name), 'flows', flow, 'scopes'],
          `Security scheme ${name} (${flow}) no longer has the scopes ${gone.join(', ')}`,
        );
    }
  }
  for (const name of Object.keys(news)) if (!(name in olds)) report.add('security-scheme-added', {}, at(name), `Security scheme ${name} was defined`);
}
