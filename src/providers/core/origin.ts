/**
 * The origin (scheme, host and port) of a provider's configured base URL: the
 * only place that provider's credentials may go.
 *
 * Credentials travel in more forms than one header: `Authorization` (Bearer
 * tokens, Zendesk's Basic API token, RingCentral's Basic client secret),
 * RingCX's `X-Auth-Token`, and token-endpoint bodies (RingCentral's JWT
 * assertion and refresh token, the RingCentral token RingCX exchanges). So
 * the rule is not "strip these headers" but "send nothing off this origin":
 * a list of headers to strip misses the next one a client adds, and a 307 or
 * 308 replays the body as is. The HTTP client therefore refuses a redirect to
 * another origin, and clients refuse links to another origin, instead of
 * following them without credentials.
 */
export class HomeOrigin {
  /** `https://platform.ringcentral.com`, `http://127.0.0.1:4010`… */
  readonly origin: string;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`a provider base URL must be http or https, got ${url.protocol}`);
    this.origin = url.origin;
  }

  /**
   * Whether `url` is on this origin. Scheme counts (an https base redirected
   * to http on the same host would send the credentials in clear); default
   * ports are normalised by `URL`, so `https://host:443` is `https://host`.
   */
  contains(url: string | URL): boolean {
    return originOf(url) === this.origin;
  }
}

/** The origin of an absolute URL (the string `"null"` for one without an origin, such as `data:`, which no base URL ever equals). */
export function originOf(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).origin;
}
