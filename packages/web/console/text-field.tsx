// A labelled text box of the Send page's two-column grid, with the sentence faxd refused it for (if any) beneath it,
// tied to the box so that a screen reader reads the two together.

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly type?: string;
  /** A box of several lines (a cover page's note), whose line breaks are kept. */
  readonly multiline?: boolean;
  readonly placeholder?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Why faxd refused this field's value; shown next to it and announced. */
  readonly problem?: string;
}

export function TextField(props: TextFieldProps) {
  const problemId = `${props.id}-problem`;
  const common = {
    id: props.id,
    autocomplete: 'off',
    placeholder: props.placeholder,
    value: props.value,
    'aria-invalid': props.problem !== undefined ? ('true' as const) : undefined,
    'aria-describedby': props.problem !== undefined ? problemId : undefined,
    onInput: (event: Event) => props.onChange((event.target as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <>
      <label for={props.id}>{props.label}</label>
      {props.multiline ? <textarea rows={4} {...common} /> : <input type={props.type ?? 'text'} {...common} />}
      {props.problem !== undefined && (
        <p id={problemId} class="error field-problem" role="alert">
          {props.problem}
        </p>
      )}
    </>
  );
}
