/**
 * A button that asks first: the native <dialog> (focus trapped, Escape cancels, focus starts on
 * Cancel, the first button) shows what will happen; the action runs only on the explicit confirmation.
 */
import { type ReactNode, useId, useRef } from 'react';

interface ConfirmButtonProps {
  label: string;
  /** The accessible name when the visible label alone is ambiguous in a list ("Kill nightly-run"). */
  ariaLabel?: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm(): void;
}

export function ConfirmButton(props: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button
        type="button"
        className={props.danger ? 'danger' : undefined}
        aria-label={props.ariaLabel}
        disabled={props.disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <form
          method="dialog"
          onSubmit={(event) => {
            const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (submitter?.value === 'confirm') props.onConfirm();
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          <div>{props.children}</div>
          <div className="actions">
            <button type="submit" value="cancel">
              Cancel
            </button>
            <button type="submit" value="confirm" className={props.danger ? 'danger' : 'primary'}>
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
