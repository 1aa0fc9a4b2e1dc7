/**
 * "Skip to main content": the first thing a keyboard reaches on every page (the root layout renders it first in
 * <body>), hidden until focused, then shown in the top-left corner. It moves the focus to <main id="main"> (every
 * page's main has that id and tabIndex={-1}), past the navigation.
 */
export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only rounded-md bg-white px-4 py-2 text-sm font-semibold text-brand-700 shadow-lg ring-2 ring-brand-600 focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
    >
      Skip to main content
    </a>
  );
}
