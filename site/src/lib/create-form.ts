/**
 * The "Thêm …" forms (components/CreateForm.astro): read the fields, check what the browser can
 * check, POST the body, say what was created, and reload the list.
 */
import { api } from './api';
import { $, handleSubmit, showError, whileSubmitting } from './dom';
import { vi } from './i18n';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A field the page refuses before sending: its message is shown next to the form and the field focused. */
export class FieldProblem extends Error {
  constructor(
    readonly field: Control,
    message: string,
  ) {
    super(message);
    this.name = 'FieldProblem';
  }
}

/**
 * Looks a form's text and number inputs up by name (a page bug if one is missing).
 * @example const field = fieldsOf(form); field('lotCode').value
 */
export function fieldsOf(form: HTMLFormElement): (name: string) => HTMLInputElement {
  return (name) => {
    const el = form.elements.namedItem(name);
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) {
      throw new Error(`missing field ${name}`);
    }
    // Selects and textareas have the `value` an input has, which is all the page scripts read.
    return el as HTMLInputElement;
  };
}

/** The trimmed text of a control, or undefined when empty (optional fields are then left out of the body). */
export function optionalText(control: Control): string | undefined {
  const value = control.value.trim();
  return value === '' ? undefined : value;
}

/** The number in a control, or undefined when empty. */
export function optionalNumber(control: Control): number | undefined {
  const value = optionalText(control);
  return value === undefined ? undefined : Number(value);
}

/** Throws a {@link FieldProblem} for `control` unless `ok`. */
export function check(ok: boolean, control: Control, message: string): void {
  if (!ok) throw new FieldProblem(control, message);
}

export interface CreateOptions<T> {
  /** The endpoint, e.g. `/api/products`. */
  path: string;
  /** The JSON body from the fields; throws {@link FieldProblem} for a field to fix. */
  body: () => Record<string, unknown>;
  /** The line shown once the record is created. */
  done: (created: T) => string;
  /** Reloads the list the record goes into. */
  reload: () => Promise<void>;
}

/**
 * Wires a create form: on submit the browser checks required fields and formats, `body()` checks
 * the rest, the body is POSTed, and on success the form is reset, `done(created)` is shown in the
 * form's notice and the list reloaded; any failure is shown next to the form. The form then
 * dispatches `create:done` with the created record.
 */
export function handleCreate<T>(form: HTMLFormElement, options: CreateOptions<T>): void {
  const result = $('[role="status"]', form);
  handleSubmit(
    form,
    async () => {
      for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
      let body: Record<string, unknown>;
      try {
        body = options.body();
      } catch (err) {
        if (!(err instanceof FieldProblem)) throw err;
        err.field.setAttribute('aria-invalid', 'true');
        showError(null, { message: err.message, near: form });
        err.field.focus();
        return;
      }
      const created = await whileSubmitting(form, vi.saving, () => api<T>(options.path, { method: 'POST', body }));
      form.reset();
      result.textContent = options.done(created);
      result.hidden = false;
      form.dispatchEvent(new CustomEvent('create:done', { detail: created }));
      await options.reload();
    },
    result,
  );
}
