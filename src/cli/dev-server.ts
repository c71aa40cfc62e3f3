/** `dev-server start|stop|status`: the local Temporal server of temporal-dev.yml. */
import { readDevConfig } from '../temporal/config';
import { devServerStatus, ensureDevServer, stopDevServer } from '../temporal/dev-server';
import { EXIT, UsageError } from './exit';

export async function devServerCommand(action: string, json: boolean): Promise<number> {
  const cfg = readDevConfig();
  switch (action) {
    case 'start': {
      const st = await ensureDevServer(cfg);
      print(json, st, `Temporal dev server running at ${st.address} (Web UI ${st.uiUrl}, database ${st.dbFile})`);
      return EXIT.OK;
    }
    case 'stop': {
      const stopped = await stopDevServer(cfg);
      if (!stopped) {
        const st = await devServerStatus(cfg);
        // something answers on the port, but it is not a dev server process of this config
        if (st.running) {
          print(
            json,
            { stopped, running: true, address: st.address },
            `a server answers on ${st.address}, but no \`temporal server start-dev --port ${cfg.port}\` process was found to stop (another user's, or a remote one?)`,
          );
          return EXIT.JOBS_FAILED;
        }
      }
      print(
        json,
        { stopped },
        stopped ? 'Temporal dev server stopped' : `no dev server is running on ${cfg.ip}:${cfg.port}`,
      );
      return EXIT.OK;
    }
    case 'status': {
      const st = await devServerStatus(cfg);
      print(
        json,
        st,
        st.running
          ? `running at ${st.address}${st.pid ? ` (pid ${st.pid})` : ' (not a dev server process of this config: `dev-server stop` cannot stop it)'}, Web UI ${st.uiUrl}, database ${st.dbFile}`
          : `not running (would use ${st.address}, database ${st.dbFile})`,
      );
      return st.running ? EXIT.OK : EXIT.JOBS_FAILED;
    }
    default:
      throw new UsageError(`dev-server takes start, stop or status (got '${action}')`);
  }
}

function print(json: boolean, data: unknown, text: string): void {
  console.log(json ? JSON.stringify(data, null, 2) : text);
}
