import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Base = ConfigurationBotFrameworkAuthentication;
type AuthenticateResult = Awaited<ReturnType<Base['authenticateRequest']>>;
type Claims = Parameters<Base['createUserTokenClient']>[0];

/** Clients kept at most; past it the cache starts again (there are a handful of service URLs). */
const CLIENTS_KEPT = 100;

/**
 * Bot Framework authentication that keeps the Connector and token clients it makes, per app id,
 * audience and service URL, instead of building a new client (and its HTTP pipeline) on every
 * turn. The credentials inside keep and renew their own tokens.
 */
export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  readonly #clients = new Map<string, Promise<unknown>>();

  #reuse<T>(key: string, make: () => Promise<T>): Promise<T> {
    const known = this.#clients.get(key) as Promise<T> | undefined;
    if (known) return known;
    if (this.#clients.size >= CLIENTS_KEPT) this.#clients.clear();
    const made = make();
    this.#clients.set(key, made);
    // A client that could not be made is made again next time.
    made.catch(() => this.#clients.delete(key));
    return made;
  }

  override async authenticateRequest(...args: Parameters<Base['authenticateRequest']>): Promise<AuthenticateResult> {
    const result = await super.authenticateRequest(...args);
    const factory = result.connectorFactory;
    if (!factory) return result;
    const appId = (factory as { appId?: string }).appId ?? '';
    const connectorFactory = {
      create: (serviceUrl: string, audience?: string) => this.#reuse(`connector\0${appId}\0${audience ?? ''}\0${serviceUrl}`, () => factory.create(serviceUrl, audience)),
    } as AuthenticateResult['connectorFactory'];
    return { ...result, connectorFactory };
  }

  override createUserTokenClient(claims: Claims): ReturnType<Base['createUserTokenClient']> {
    const appId = claims.claims.filter((c) => c.type === 'aud' || c.type === 'appid' || c.type === 'azp').map((c) => `${c.type}=${c.value}`).join(' ');
    return this.#reuse(`token\0${appId}`, () => super.createUserTokenClient(claims));
  }
}
