/**
 * The HTTPRoute RequestMirror filter. A rule backend that mirrors runs the Lua action of
 * mirror-lua.ts, which copies the request and sends the copy from a task of its own through
 * HAProxy's httpclient to an internal frontend bound on a unix socket. That frontend
 * restores the method (and the absence of Accept and User-Agent) and routes the copy to one
 * ordinary backend per mirror target, whose server slots work like any other backend's, so the
 * mirror's endpoints change through the runtime API without a reload (endpoint-update.ts).
 */
import path from 'node:path';
import type { IRCertificate, IRFilter, IRGateway } from '../ir/model.js';
import { internalSocket } from './internal-socket.js';
import { MIRROR_LUA } from './mirror-lua.js';
import { backendClientCertificateFile, backendClientCertificateName, caFileWriter, certificateShownTo, serverPool, type Section } from './config-model.js';

export type MirrorFilter = Extract<IRFilter, { type: 'RequestMirror' }>;

const LUA_FILE = 'mirror.lua';
const FRONTEND = 'mirror';
/** Resolution of the draw for `percent`: fractions such as 1/3 or 0.5% keep six digits. */
const DRAW_SCALE = 1_000_000;
/** How long a mirroring rule waits for the request body it copies (HAProxy's own limit is its buffer). */
const BODY_WAIT = '10s';
/** A mirror's answer is dropped; this bounds how long a copy may keep its task and connection. */
const MIRROR_TIMEOUT_SERVER = '10s';

/** The unix socket of the internal frontend that sends the copies. */
export function mirrorAddress(dir: string): string {
  return internalSocket(dir, 'mirror');
}

/** Collects the mirror targets a Gateway's rules use and renders what carries them out. */
export class MirrorRenderer {
  /** Per mirror target (IR backend id, and the client certificate when it is reached over TLS): its HAProxy backend. */
  private readonly targets = new Map<string, { id: string; clientCertificate: IRCertificate | undefined; name: string }>();
  private readonly address: string;

  constructor(
    private readonly gw: IRGateway,
    private readonly dir: string,
    /** The configuration's files, where backend CA bundles go. */
    private readonly configFiles: Record<string, string>,
  ) {
    this.address = mirrorAddress(dir);
  }

  get used(): boolean {
    return this.targets.size > 0;
  }

  /**
   * Rule-backend lines copying the request to the filter's backend for `percent` of requests;
   * `clientCertificate` is what the rule's port shows backends reached over TLS.
   */
  filter(f: MirrorFilter, clientCertificate?: IRCertificate): string[] {
    const threshold = Math.round((Math.min(Math.max(f.percent, 0), 100) / 100) * DRAW_SCALE);
    if (threshold <= 0 || !this.gw.backends[f.backend]) return [];
    const action = `lua.portico_mirror ${this.backendName(f.backend, clientCertificate)} ${this.address}`;
    if (threshold >= DRAW_SCALE) return [`http-request wait-for-body time ${BODY_WAIT}`, `http-request ${action}`];
    // One draw per filter: several mirrors on a rule each pick their share independently.
    return [
      'http-request unset-var(txn.mirror_pick)',
      `http-request set-var(txn.mirror_pick) bool(true) if { rand(${DRAW_SCALE}) -m int lt ${threshold} }`,
      `http-request wait-for-body time ${BODY_WAIT} if { var(txn.mirror_pick) -m found }`,
      `http-request ${action} if { var(txn.mirror_pick) -m found }`,
    ];
  }

  globalLines(): string[] {
    return this.used ? [`lua-load ${path.join(this.dir, LUA_FILE)}`] : [];
  }

  files(): Record<string, string> {
    return this.used ? { [LUA_FILE]: MIRROR_LUA } : {};
  }

  /** The internal frontend and one backend per mirror target. */
  sections(): Section[] {
    if (!this.used) return [];
    return [this.frontend(), ...[...this.targets.values()].map((t) => this.backend(t.id, t.name, t.clientCertificate))];
  }

  private frontend(): Section {
    const out = [
      `bind ${this.address}`,
      'http-request set-var(txn.mirror) req.fhdr(x-portico-mirror)',
      'http-request del-header x-portico-mirror',
      'http-request deny deny_status 400 unless { var(txn.mirror),field(2,\' \') -m len gt 0 }',
      'http-request set-method %[var(txn.mirror),field(2,\' \')]',
      'http-request del-header accept if { var(txn.mirror),field(3,\' \') -m sub a }',
      'http-request del-header user-agent if { var(txn.mirror),field(3,\' \') -m sub u }',
    ];
    for (const { name } of this.targets.values()) out.push(`use_backend ${name} if { var(txn.mirror),field(1,' ') -m str ${name} }`);
    out.push('default_backend not_found');
    return { keyword: 'frontend', name: FRONTEND, comment: 'Copies sent by mirror.lua: "x-portico-mirror: <backend> <method> <flags>".', directives: out };
  }

  /** Server slots like any rule backend's, so endpoint-update.ts handles the mirror's endpoints too. */
  private backend(id: string, name: string, clientCertificate: IRCertificate | undefined): Section {
    return {
      keyword: 'backend',
      name,
      comment: `RequestMirror target ${id.replace(/[^\x20-\x7e]/g, '?')}`,
      directives: [`timeout server ${MIRROR_TIMEOUT_SERVER}`],
      pool: serverPool(this.gw.backends, [{ backend: id, weight: 1, filters: [] }], { http: true, caFile: caFileWriter(this.dir, this.configFiles), clientCertificate: backendClientCertificateFile(clientCertificate, this.dir, this.configFiles) }),
    };
  }

  /**
   * A readable HAProxy name made only of safe characters (it is a word of the Lua action and of
   * an ACL); a name two ids would share gets a number.
   */
  private backendName(id: string, clientCertificate: IRCertificate | undefined): string {
    const certificate = certificateShownTo(this.gw.backends[id], clientCertificate);
    const key = certificate ? `${id} ${backendClientCertificateName(certificate)}` : id;
    const known = this.targets.get(key);
    if (known) return known.name;
    const base = `mirror_${id.replace(/[^A-Za-z0-9-]/g, '_')}`.slice(0, 100);
    const taken = new Set([...this.targets.values()].map((t) => t.name));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    this.targets.set(key, { id, clientCertificate: certificate, name });
    return name;
  }
}
