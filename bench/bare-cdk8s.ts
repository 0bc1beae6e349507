/** Baseline for bench/synth.sh: a cdk8s app that synthesises one ConfigMap, run the same way as multinic. */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';

const app = new App({ outdir: process.argv[2] ?? 'dist-bare' });
const chart = new Chart(app, 'bare');
new kplus.ConfigMap(chart, 'One', { data: { a: 'b' } });
app.synth();
