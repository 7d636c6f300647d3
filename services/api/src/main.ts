/** `node services/api/dist/main.js`: the api and dashboard configured by the environment, until SIGTERM/SIGINT. */
import { runApi } from './run.js';

runApi(process.env).catch(() => {
  // runApi has reported the reason and asked to exit.
});
