/** Class names for form controls, so every page's forms look alike. */
export const inputStyles = 'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500';
export const compactInputStyles = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm';
export const labelStyles = 'text-sm font-medium text-slate-800';
