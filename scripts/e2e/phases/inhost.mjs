// In-host phase: the harness extension runs the integration suite inside the real extension host (placeholder).
export async function runInHost() {}
