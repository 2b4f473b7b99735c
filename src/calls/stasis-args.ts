/** Reads a named Stasis argument (`Stasis(siaga112,dialled=112)` gives "dialled=112"). */
export function namedArg(args: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
