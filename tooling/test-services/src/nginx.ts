import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installForTests, isRoot } from './index.ts';

/**
 * nginx, from the machine's packages, run as an ordinary process from a configuration of its own in a temporary
 * folder: the load balancer of the cluster tests and the cluster benchmark. Each `site` is a listener whose upstream is an ordered list of
 * nodes: the first takes the traffic, the others stand in while it is down (`backup`), which lets a test say which
 * node a browser reaches first and where it goes when that node dies.
 */
export interface NginxSite {
  port: number;
  /** `host:port` of each node, the preferred one first. */
  nodes: string[];
}

export interface RunningNginx {
  /** The address of each site, in the order given. */
  urls: string[];
  /** The master process's pid: the root of nginx's process tree, for its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

/** Finds nginx; as root it installs Debian's package once, otherwise it fails saying what to install. */
export function nginxBinary(): string {
  const found = () => CANDIDATES.find((path) => existsSync(path));
  if (!found()) installForTests({ tests: 'The cluster tests', service: 'nginx', debianPackage: 'nginx' });
  const binary = found();
  if (!binary) throw new Error('nginx was installed but is not where Debian puts it (/usr/sbin/nginx)');
  return binary;
}

/**
 * How many connections the worker may hold: each proxied WebSocket takes two (the client's and the node's), so a
 * benchmark's thousand visitors need more than nginx's default.
 */
const WORKER_CONNECTIONS = 4096;

/**
 * A whole nginx configuration around `http`, the inside of its `http { }` block: run in the foreground from
 * `folder`, which holds its pid, error log and temporary files, so that nothing of the machine's nginx is used.
 */
export function nginxMain(folder: string, http: string, runAsRoot: boolean): string {
  return `${runAsRoot ? 'user root root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(folder, 'nginx.pid')};
error_log ${join(folder, 'error.log')} warn;
worker_rlimit_nofile ${WORKER_CONNECTIONS * 2};
events { worker_connections ${WORKER_CONNECTIONS}; }
http {
  access_log off;
  client_body_temp_path ${join(folder, 'body')};
  proxy_temp_path ${join(folder, 'proxy')};
  fastcgi_temp_path ${join(folder, 'fastcgi')};
  uwsgi_temp_path ${join(folder, 'uwsgi')};
  scgi_temp_path ${join(folder, 'scgi')};
${http}
}
`;
}

/** The configuration: WebSockets upgraded, the client's address passed on, a dead node skipped at once. */
export function nginxConfig(folder: string, sites: readonly NginxSite[], runAsRoot: boolean): string {
  const upstreams = sites.map(
    (site, i) => `  upstream site${i} {
${site.nodes.map((node, n) => `    server ${node}${n === 0 ? '' : ' backup'} max_fails=1 fail_timeout=2s;`).join('\n')}
  }`,
  );
  const servers = sites.map(
    (site, i) => `  server {
    listen 127.0.0.1:${site.port};
    location / {
      proxy_pass http://site${i};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout http_502;
    }
  }`,
  );
  return nginxMain(
    folder,
    `  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
${upstreams.join('\n')}
${servers.join('\n')}`,
    runAsRoot,
  );
}

/** Starts nginx with `sites` and waits until every listener answers. */
export function startNginx(sites: readonly NginxSite[]): Promise<RunningNginx> {
  return startNginxWith(
    (folder, runAsRoot) => nginxConfig(folder, sites, runAsRoot),
    sites.map((site) => site.port),
  );
}

/**
 * Starts nginx with the configuration `config` writes for its folder (see `nginxMain`), and waits until `/healthz`
 * answers on each of `ports`: for a test of a configuration written elsewhere, such as an example for operators.
 */
export async function startNginxWith(
  config: (folder: string, runAsRoot: boolean) => string,
  ports: readonly number[],
): Promise<RunningNginx> {
  const binary = nginxBinary();
  const folder = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(folder, temp));
  const configFile = join(folder, 'nginx.conf');
  writeFileSync(configFile, config(folder, isRoot()));
  const child: ChildProcess = spawn(
    binary,
    ['-p', folder, '-c', configFile, '-e', join(folder, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const deadline = Date.now() + 15_000;
  for (const url of urls)
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
      const answered = await fetch(`${url}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (answered) break;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not answer on ${url} within 15 s: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  return {
    urls,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        // SIGQUIT is nginx's graceful stop; open WebSockets would hold it, so they are cut with SIGTERM after.
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
