/**
 * Script of the activations page (pages/activations.astro): the recent activations list, reloaded when
 * the activation form creates one.
 */
import { getItems } from '../lib/api';
import type { Activation } from '../lib/api-types';
import { $, bootPage, fillTable, loadTable, showError } from '../lib/dom';
import { activationRow } from '../lib/print-run-view';

const tbody = $('[data-testid="activations-table"] tbody');

async function load() {
  const items = await getItems<Activation>('/api/activations');
  fillTable(tbody, items.map((a) => activationRow(a, { testId: 'activation-row', withPrintRun: true })));
}

document.addEventListener('activation:created', () => {
  load().catch(showError);
});

bootPage(() => loadTable(tbody, load()));
