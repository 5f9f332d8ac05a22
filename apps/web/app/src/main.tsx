import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import { startOutboxFallback } from './offline/outbox';
import { interceptLinks } from './router';
import { registerServiceWorker } from './update';
import './styles.css';

let pendingUpdate: ((apply: () => void) => void) | undefined;
let waiting: (() => void) | undefined;
registerServiceWorker((apply) => {
  waiting = apply;
  pendingUpdate?.(apply);
});
startOutboxFallback();

const root = document.getElementById('app')!;
interceptLinks(root);
void loadConfig().then((config) => {
  root.textContent = '';
  render(
    <App
      config={config}
      updates={(listener) => {
        pendingUpdate = listener;
        if (waiting) listener(waiting);
      }}
    />,
    root,
  );
});
