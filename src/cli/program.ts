import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isLogLevel, LOG_FORMATS, LOG_LEVELS, type LogLevel } from '../log.js';
import type { CliIO } from './io.js';
import {
  CHANNELS,
  DEFAULT_ADDRESS_POOL,
  DEFAULT_ADMIN,
  DEFAULT_ADMIN_TEXT,
  checkAddressPool,
  checkBindAddresses,
  checkClusterFlag,
  checkDuration,
  checkBindPorts,
  parseHostPort,
  type Checked,
  checkNamespace,
  checkObjectName,
  type GatewayApiChannel,
  type ServeOptions,
} from './options.js';
import type { ControllerCliOptions } from './commands/controller.js';
import type { DataPlaneCliOptions } from './commands/dataplane.js';
import type { ExplainOptions } from './commands/explain.js';
import type { GetOptions } from './commands/get.js';
import { kindNamesHelp } from './kind-names.js';

/** -o of `portico get` (also in commands/get.ts, which loads only when the command runs). */
const GET_OUTPUTS = ['wide', 'yaml', 'json'] as const;

const OUTPUTS = ['status', 'ir', 'haproxy'] as const;
type TranslateOutput = (typeof OUTPUTS)[number];

/** Commander argument parser from one of the checks in options.ts. */
function argument<T>(check: (text: string) => Checked<T>): (text: string) => T {
  return (text) => {
    const result = check(text);
    if (!result.ok) throw new InvalidArgumentError(result.message);
    return result.value;
  };
}

function logLevel(text: string): LogLevel {
  if (!isLogLevel(text)) throw new InvalidArgumentError(`use one of ${LOG_LEVELS.join(', ')}`);
  return text;
}

function rfc3339Time(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an RFC 3339 time such as 2025-01-01T00:00:00Z');
  }
  return date;
}

const filenameOption = (): Option =>
  new Option('-f, --filename <path...>', 'YAML or JSON file, or directory read recursively for *.yaml, *.yml and *.json; repeatable')
    .makeOptionMandatory();

const channelOption = (): Option =>
  new Option('--gateway-api-channel <channel>', 'Gateway API CRDs to validate against: standard, or experimental (a superset)')
    .choices(CHANNELS)
    .default('experimental');

const adminOption = (): Option =>
  new Option('--admin <host:port>', 'address of the admin API; port 0 picks a free port').default(DEFAULT_ADMIN, DEFAULT_ADMIN_TEXT).argParser(argument(parseHostPort));

const healthOption = (): Option =>
  new Option('--health <host:port>', 'also serve /healthz and /readyz, and nothing else, on this address: for probes from outside while --admin stays private').argParser(
    argument(parseHostPort),
  );

const logLevelOption = (): Option => new Option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`).default('info').argParser(logLevel);

const logFormatOption = (): Option =>
  new Option('--log-format <format>', 'how logs are written to stderr: text (for people), json (one object per line), or auto: text when stderr is a terminal, json otherwise')
    .choices(LOG_FORMATS)
    .default('auto');

/** How traffic is served, the same for `run` and `controller`. */
const dataPlaneOptions = (): Option[] => [
  new Option('--data-plane <kind>', 'haproxy: serve traffic with one HAProxy per Gateway; none: compute status only').choices(['haproxy', 'none']).default('haproxy'),
  new Option(
    '--state-dir <dir>',
    "where each Gateway's HAProxy keeps its sockets and files, private keys included: made private (0700) and must belong to Portico's user; Gateway directories an earlier run left there are removed (default: a new private directory under the system temp directory, removed on exit)",
  ),
  new Option('--haproxy <path>', 'the haproxy binary (2.6 or later); default: haproxy on PATH or in /usr/sbin'),
  new Option(
    '--access-log-dir <dir>',
    "the directory in which listener policies' access logs may write files (fileSink.path inside it); without it they write to /dev/stdout or /dev/stderr only",
  ).argParser((dir: string) => path.resolve(dir)),
  new Option(
    '--route-metrics',
    'export requests, responses by status class and bytes per route rule and backend on /metrics (docs/observability.md); gives every rule backends of its own, which costs throughput and makes more route changes reload HAProxy',
  ),
  new Option(
    '--route-latency-histograms',
    '--route-metrics, and a histogram of backend response times per route rule: costs HAProxy rules on every request (docs/observability.md)',
  ),
  new Option(
    '--gateway-addresses <list>',
    'addresses a Gateway may ask for in spec.addresses, comma-separated: CIDRs, FIRST-LAST ranges, "local" (this host\'s addresses except loopback), "loopback"; the address pool is always allowed (default: any address of this host)',
  ).argParser(argument(checkBindAddresses)),
  new Option('--gateway-ports <list>', 'ports listeners may use, comma-separated ports and FIRST-LAST ranges, e.g. 80,443,1024-65535 (default: any)').argParser(
    argument(checkBindPorts),
  ),
];

const addressPoolOption = (): Option =>
  new Option('--address-pool <pool>', 'addresses for Gateways without spec.addresses: a CIDR or FIRST-LAST, IPv4 or IPv6')
    .default(DEFAULT_ADDRESS_POOL)
    .argParser(argument(checkAddressPool));

/**
 * Runs the portico CLI with `argv` (arguments after the program name) and returns the exit code:
 * 0 success, 1 problems in the input (or a runtime failure), 2 bad usage.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('portico')
    .description('Portico: the Kubernetes Gateway API, served by HAProxy.')
    .version(packageVersion(), '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');

  const run = program
    .command('run')
    .summary('load the files, keep watching them, serve traffic, status and metrics')
    .description(
      'Load the files, keep watching them, serve each Gateway with its own HAProxy, and serve objects with ' +
        'their status, health and metrics on the read-only admin API (Secret values are never returned) until ' +
        'SIGINT or SIGTERM.',
    )
    .addOption(filenameOption())
    .addOption(adminOption())
    .addOption(healthOption())
    .addOption(addressPoolOption())
    .addOption(channelOption())
    .addOption(logLevelOption())
    .addOption(logFormatOption());
  for (const option of dataPlaneOptions()) run.addOption(option);
  run.action(async (opts: { filename: string[] } & ServeOptions & { gatewayApiChannel: GatewayApiChannel }) => {
    // Commands load lazily: --help and usage errors stay fast and need no validator or core.
    const { runCommand } = await import('./commands/run.js');
    exitCode = await runCommand(opts, io);
  });

  const controller = program
    .command('controller')
    .summary('run as a Kubernetes controller: read the API server, serve traffic, write status')
    .description(
      'Run as a Kubernetes controller: read the Gateway API objects, Services, EndpointSlices, Secrets, ConfigMaps ' +
        'and Namespaces from the API server, serve each Gateway of class controllerName ' +
        'portico.dev/gateway-controller with its own HAProxy on this host, and (on the elected leader) write their ' +
        'status back, until SIGINT or SIGTERM. The admin API serves health, readiness, metrics and objects as in `run`.',
    )
    .addOption(new Option('--kubeconfig <file>', "kubeconfig to reach the API server with (default: the Pod's ServiceAccount, in a cluster)"))
    .addOption(
      new Option('--namespace <namespace>', 'read namespaced objects from this namespace only; repeatable (default: every namespace)')
        .argParser((text: string, previous: string[] | undefined) => [...(previous ?? []), argument(checkNamespace)(text)]),
    )
    .addOption(adminOption())
    .addOption(healthOption())
    .addOption(addressPoolOption())
    .addOption(logLevelOption())
    .addOption(logFormatOption());
  for (const option of dataPlaneOptions()) controller.addOption(option);
  controller
    .addOption(new Option('--leader-election-namespace <namespace>', 'namespace of the leader election Lease (default: $POD_NAMESPACE, else portico-system)').argParser(argument(checkNamespace)))
    .addOption(new Option('--leader-election-id <name>', 'name of the leader election Lease').default('portico-leader').argParser(argument(checkObjectName)))
    .addOption(new Option('--no-leader-election', 'write status without electing a leader (only for a single replica)'))
    .addOption(
      new Option(
        '--cluster <NAME=KUBECONFIG>',
        'a workload cluster of the cluster set, read with this kubeconfig: its ServiceExports become ServiceImports (and mirrored EndpointSlices) in the cluster of --kubeconfig; repeatable (docs/multicluster.md)',
      ).argParser((text: string, previous: ControllerCliOptions['cluster']) => [...(previous ?? []), argument(checkClusterFlag)(text)]),
    )
    .addOption(
      new Option(
        '--cluster-secrets',
        "also take workload clusters from the Secrets of the controller's namespace ($POD_NAMESPACE, else portico-system) labelled portico.dev/cluster=NAME, a kubeconfig under the key kubeconfig; added, changed and removed while running",
      ),
    )
    .addOption(
      new Option('--cluster-grace-period <duration>', "how long an unreachable workload cluster's last endpoints keep being served before they are removed")
        .default(60_000, '60s')
        .argParser(argument(checkDuration)),
    )
    .addOption(new Option('--identity <id>', 'this replica in the Lease (default: host name and process id)'))
    .addOption(
      new Option(
        '--deployment-mode <mode>',
        'host: serve every Gateway with an HAProxy in this process (one controller per node, hostNetwork); per-gateway: give each Gateway a Deployment and Service of its own running `portico dataplane`, configured by this controller; shared: one such Deployment per GatewayClass, in this controller\'s namespace, serving all of the class\'s Gateways, with a Service per Gateway',
      )
        .choices(['host', 'per-gateway', 'shared'])
        .default('host'),
    )
    .addOption(new Option('--dataplane-image <image>', 'per-gateway and shared: the image of the data plane pods').default(`portico:${packageVersion()}`))
    .addOption(new Option('--dataplane-listen <host:port>', 'per-gateway and shared: where the data planes\' configuration channel listens').default({ host: '0.0.0.0', port: 9443 }, '0.0.0.0:9443').argParser(argument(parseHostPort)))
    .addOption(new Option('--dataplane-controller-url <url>', 'per-gateway and shared: the URL the data plane pods reach the channel at (default: https://portico.$POD_NAMESPACE.svc:9443 with TLS, http:// without)'))
    .addOption(new Option('--dataplane-tls-cert <file>', "per-gateway and shared: the channel's certificate (PEM); with --dataplane-tls-key"))
    .addOption(new Option('--dataplane-tls-key <file>', "per-gateway and shared: the channel's private key (PEM)"))
    .addOption(new Option('--dataplane-tls-ca <file>', "per-gateway and shared: the CA that vouches for the channel's certificate, handed to the data planes"))
    .addOption(
      new Option(
        '--dataplane-insecure',
        'per-gateway and shared: serve the channel over plain HTTP (configurations, private keys included, cross the network in clear). Without this or --dataplane-tls-cert, Portico makes its own certificate and keeps it in the Secret portico-channel-tls of its namespace',
      ),
    )
    .action(async (opts: ControllerCliOptions) => {
      const { controllerCommand } = await import('./commands/controller.js');
      exitCode = await controllerCommand(opts, io);
    });

  program
    .command('dataplane')
    .summary("serve the data plane of one Gateway (per-gateway mode) or of a GatewayClass (shared mode), configured by a controller")
    .description(
      "Serve a data plane with HAProxy: ask the controller (portico controller --deployment-mode per-gateway or shared) " +
        "for the configuration of the Gateway (--gateway) or of every Gateway of the class (--gateway-class) over its channel, with the token " +
        "the controller gave it, apply each new version " +
        '(endpoint changes without a reload), report it, and keep serving the last one while the controller cannot be ' +
        'reached. Needs no Kubernetes credentials. Runs until SIGINT or SIGTERM.',
    )
    .addOption(new Option('--gateway <namespace/name>', 'the Gateway to serve (per-gateway mode)'))
    .addOption(
      new Option('--gateway-class <name>', "every Gateway of this GatewayClass (shared mode): each listens on its own port, which the Gateway's Service maps back").argParser(
        argument(checkObjectName),
      ),
    )
    .addOption(new Option('--controller <url>', "the controller's configuration channel").makeOptionMandatory())
    .addOption(new Option('--token-file <file>', "the file holding the data plane's token (read again when it changes)").makeOptionMandatory())
    .addOption(new Option('--ca-file <file>', "the CA that vouches for the channel's certificate (https)"))
    .addOption(new Option('--bind-address <ip>', "what the listeners bind (default: $POD_IP, else every address)"))
    .addOption(new Option('--replica <name>', 'this replica in reports (default: $POD_NAME, else the host name)'))
    .addOption(new Option('--health <host:port>', 'where /healthz, /readyz, /status and /metrics answer').default({ host: '0.0.0.0', port: 8082 }, '0.0.0.0:8082').argParser(argument(parseHostPort)))
    .addOption(
      new Option('--state-dir <dir>', "where HAProxy keeps its sockets and files (default: a new private directory under the system temp directory, removed on exit)"),
    )
    .addOption(new Option('--haproxy <path>', 'the haproxy binary (2.6 or later); default: haproxy on PATH or in /usr/sbin'))
    .addOption(new Option('--route-metrics', 'export per-route traffic counters on /metrics of the --health address (as portico run --route-metrics; docs/observability.md)'))
    .addOption(new Option('--route-latency-histograms', '--route-metrics, and a histogram of backend response times per route rule'))
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .action(async (opts: DataPlaneCliOptions) => {
      const { dataplaneCommand } = await import('./commands/dataplane.js');
      exitCode = await dataplaneCommand(opts, io);
    });

  program
    .command('get')
    .summary('show objects of a running Portico with their status, as kubectl get does')
    .description(
      "Ask a running Portico's admin API (portico run or portico controller) for objects of one kind and print " +
        'them as a table, or as YAML or JSON. Exit 0 on success (also when there are none), 1 when the object does ' +
        'not exist or the admin API cannot be reached.',
    )
    .argument('<kind>', 'the kind: plural, singular or short name (see below), optionally .group-qualified')
    .argument('[name]', 'one object (default: every object of the kind)')
    .addOption(new Option('-n, --namespace <namespace>', 'the namespace of namespaced kinds').default('default').argParser(argument(checkNamespace)))
    .addOption(new Option('-A, --all-namespaces', 'every namespace (adds a NAMESPACE column)'))
    .addOption(new Option('-o, --output <format>', 'wide: a table with more columns; yaml or json: the objects as the admin API serves them (a List without NAME)').choices(GET_OUTPUTS))
    .addOption(new Option('--server <url>', "the instance's admin API").default(`http://${DEFAULT_ADMIN_TEXT}`))
    .addHelpText('after', () => `\nKinds (plural, then the other names each answers to):\n${kindNamesHelp()}\n`)
    .action(async (kind: string, name: string | undefined, opts: GetOptions) => {
      const { getCommand } = await import('./commands/get.js');
      exitCode = await getCommand(kind, name, opts, io);
    });

  program
    .command('explain')
    .summary('say why a route takes the traffic it takes, and where a sample request goes')
    .description(
      "Explain one route from files (-f) or from a running instance (--server, its admin API): each parentRef's " +
        'verdict and the listeners it attached to, each backendRef as resolved, the rules of other routes that come ' +
        'first on the same hostnames, and, with --request, the Gateway, listener, route and rule that would answer ' +
        'that request. Exit 0, 1 when the route is not there, 2 for bad usage.',
    )
    .argument('<kind>', 'the route kind: httproute, grpcroute, tlsroute, tcproute or udproute (any name portico get takes)')
    .argument('<name>', 'the route')
    .addOption(new Option('-n, --namespace <namespace>', 'the route\'s namespace').default('default').argParser(argument(checkNamespace)))
    .addOption(new Option('-f, --filename <path...>', 'YAML or JSON files or directories holding the objects, as for run'))
    .addOption(new Option('--server <url>', "a running instance's admin API, e.g. http://127.0.0.1:9901"))
    .addOption(new Option('--request <request>', "a sample request: 'METHOD URL', e.g. 'GET https://shop.example.com/cart?id=1'"))
    .addOption(
      new Option('-H, --header <name:value>', 'a header of the sample request; repeatable').argParser((text: string, previous: string[] | undefined) => [...(previous ?? []), text]),
    )
    .addOption(addressPoolOption())
    .action(async (kind: string, name: string, opts: ExplainOptions) => {
      const { explainCommand } = await import('./commands/explain.js');
      exitCode = await explainCommand(kind, name, opts, io);
    });

  program
    .command('validate')
    .summary('check the files as the API server would')
    .description(
      'Check the files as the API server would. Exit 0 when all is valid; otherwise print each problem as ' +
        '"file:document  Kind namespace/name  field.path: message" and exit 1.',
    )
    .addOption(filenameOption())
    .addOption(channelOption())
    .action(async (opts: { filename: string[]; gatewayApiChannel: GatewayApiChannel }) => {
      const { validateCommand } = await import('./commands/validate.js');
      exitCode = await validateCommand(opts, io);
    });

  program
    .command('translate')
    .summary('run the pipeline once, offline, and print the result')
    .description(
      'Run the whole pipeline once, offline, and print the result as YAML. Problems go to stderr; ' +
        'the exit code is 1 when some input was refused (the output covers the rest).',
    )
    .addOption(filenameOption())
    .addOption(
      new Option('-o, --output <format>', 'status: each object Portico owns with its status; ir: the data-plane-neutral configuration; haproxy: HAProxy configuration (not implemented yet)')
        .choices(OUTPUTS)
        .default('status'),
    )
    .addOption(addressPoolOption())
    .addOption(channelOption())
    .addOption(new Option('--now <time>', 'time written as lastTransitionTime (default: the current time); fix it for reproducible output').argParser(rfc3339Time))
    .action(
      async (opts: { filename: string[]; output: TranslateOutput; addressPool: string; gatewayApiChannel: GatewayApiChannel; now?: Date }) => {
        const { translateCommand } = await import('./commands/translate.js');
        exitCode = await translateCommand(opts, io);
      },
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return exitCode;
}

/** The version in package.json, found by walking up from this file (src/cli or dist/src/cli). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'portico' && pkg.version) return pkg.version;
    } catch {
      // not here: keep walking up
    }
    if (dir.pathname === '/') return 'unknown';
  }
}
