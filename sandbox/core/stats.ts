/**
 * Counts requests by method and route template, the way tests assert "this
 * query cost exactly N provider calls". Templates use OpenAPI's `{param}`
 * notation so they read like the contracts: `GET /v1/phone-numbers/{id}`.
 */
export class RequestStats {
  private counts = new Map<string, number>();
  private total = 0;

  record(method: string, template: string | undefined): void {
    const key = `${method} ${template === undefined ? '<unmatched>' : toOpenApiPath(template)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total += 1;
  }

  reset(): void {
    this.counts = new Map();
    this.total = 0;
  }

  snapshot(): { total: number; byRoute: Record<string, number> } {
    const byRoute = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { total: this.total, byRoute };
  }
}

/** `/a/:id/b` → `/a/{id}/b`. */
export function toOpenApiPath(template: string): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
