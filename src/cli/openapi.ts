export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('sundial openapi: not implemented yet\n');
  return 2;
}
