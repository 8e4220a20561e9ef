// A box that scrolls its content (a wide table, a zoomed page), named and reachable from the keyboard.

import type { ComponentChildren } from 'preact';

export function ScrollRegion(props: { class: string; label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users scroll a region only once it takes focus (WCAG 2.1.1, axe's scrollable-region-focusable).
    <section class={props.class} aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}
