/** How to start the services Feedline needs on a development machine: said the same way everywhere. */
export const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
export const START_REDIS = 'redis-server --daemonize yes --save "" --appendonly no';
