// placeholder replaced by the server module
export async function startServer(_: unknown): Promise<void> {
  throw new Error('not built yet');
}
