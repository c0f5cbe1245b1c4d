// Service kinds guessed from a container image name: the container formats' readers guess, their writers pick images that guess right.
import type { ServiceKind } from '../model/types';

const DATASTORE_IMAGES = new Set([
  'postgres',
  'postgresql',
  'postgis',
  'timescaledb',
  'mysql',
  'mysql-server',
  'mariadb',
  'percona',
  'percona-server',
  'mongo',
  'mongodb',
  'mongodb-community-server',
  'redis',
  'redis-stack',
  'redis-stack-server',
  'valkey',
  'keydb',
  'memcached',
  'cassandra',
  'scylla',
  'elasticsearch',
  'opensearch',
  'couchdb',
  'couchbase',
  'neo4j',
  'influxdb',
  'clickhouse-server',
  'cockroach',
  'etcd',
  'rabbitmq',
  'kafka',
  'cp-kafka',
  'nats',
  'zookeeper',
  'cp-zookeeper',
  'minio',
]);
const GATEWAY_IMAGES = new Set(['nginx', 'openresty', 'traefik', 'haproxy', 'envoy', 'caddy', 'kong', 'httpd']);

/** `docker.io/library/postgres:15@sha256:…` → `postgres`. */
const imageBase = (image: string): string => {
  const noDigest = image.split('@')[0] as string;
  const last = noDigest.split('/').at(-1) ?? '';
  return last.split(':')[0]?.toLowerCase() ?? '';
};

/** A guess from the image (or the service name when built locally); users correct it in the app. */
export const guessKind = (name: string, image: string | undefined, exposed: boolean): ServiceKind => {
  const base = image ? imageBase(image) : name.toLowerCase();
  if (DATASTORE_IMAGES.has(base) || /(^|[-_])db$/.test(base)) return 'datastore';
  if (exposed && GATEWAY_IMAGES.has(base)) return 'gateway';
  return 'service';
};
