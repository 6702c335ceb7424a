/** Server start: validate the configuration, open and migrate the database. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/ops/startup");
  await startServer();
}
