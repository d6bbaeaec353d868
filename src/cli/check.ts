export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('sundial check: not implemented yet\n');
  return 1;
}
