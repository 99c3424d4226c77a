// The dashboard: Preact components over the public HTTP API only, bundled and minified by esbuild at build time.
// Every piece of event data is rendered as text (JSX children), never as markup.
import { render } from 'preact';
import { App } from './App.jsx';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';

render(<App />, document.getElementById('app'));
