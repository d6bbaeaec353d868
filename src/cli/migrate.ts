export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('sundial migrate: not implemented yet\n');
  return 1;
}
