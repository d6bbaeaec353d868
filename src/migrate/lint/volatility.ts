// Whether a DEFAULT expression is evaluated once for ADD COLUMN (PostgreSQL 11+ stores it in
// the catalog and rewrites nothing) or per row (volatile: every row is written). Known
// immutable and stable functions, operators over them and casts are safe; an unknown
// function is treated as volatile, because PostgreSQL would rewrite if it were.
const STABLE_OR_IMMUTABLE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'localtimestamp',
  'current_timestamp',
  'current_setting',
  'lower',
  'upper',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'concat',
  'concat_ws',
  'length',
  'substr',
  'substring',
  'replace',
  'md5',
  'abs',
  'round',
  'floor',
  'ceil',
  'greatest',
  'least',
  'make_date',
  'make_interval',
  'make_timestamp',
  'make_timestamptz',
  'date_trunc',
  'to_timestamp',
  'to_date',
  'to_char',
  'to_number',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'json_build_array',
  'array_fill',
  'timezone',
  'pg_catalog',
]);

export function isNonVolatile(expr: any): boolean {
  if (!expr) return true;
  if (expr.A_Const || expr.SQLValueFunction || expr.ParamRef) return true;
  if (expr.TypeCast) return isNonVolatile(expr.TypeCast.arg);
  if (expr.A_Expr) return isNonVolatile(expr.A_Expr.lexpr) && isNonVolatile(expr.A_Expr.rexpr);
  if (expr.BoolExpr) return (expr.BoolExpr.args ?? []).every(isNonVolatile);
  if (expr.CoalesceExpr) return (expr.CoalesceExpr.args ?? []).every(isNonVolatile);
  if (expr.MinMaxExpr) return (expr.MinMaxExpr.args ?? []).every(isNonVolatile);
  if (expr.NullTest) return isNonVolatile(expr.NullTest.arg);
  if (expr.CaseExpr) {
    const c = expr.CaseExpr;
    return (
      isNonVolatile(c.arg) &&
      isNonVolatile(c.defresult) &&
      (c.args ?? []).every((w: any) => isNonVolatile(w.CaseWhen?.expr) && isNonVolatile(w.CaseWhen?.result))
    );
  }
  if (expr.FuncCall) {
    const names = expr.FuncCall.funcname.map((n: any) => n.String?.sval);
    return STABLE_OR_IMMUTABLE.has(names[names.length - 1]) && (expr.FuncCall.args ?? []).every(isNonVolatile);
  }
  if (expr.A_ArrayExpr) return (expr.A_ArrayExpr.elements ?? []).every(isNonVolatile);
  if (expr.RowExpr) return (expr.RowExpr.args ?? []).every(isNonVolatile);
  return false;
}
