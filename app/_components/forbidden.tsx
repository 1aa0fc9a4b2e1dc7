/** What a signed-in member sees on a page their role may not use (the action itself is refused on the server too). */
export function Forbidden({ what }: { what: string }) {
  return (
    <div role="alert" className="rounded-xl border border-amber-200 bg-amber-50 px-6 py-8 text-center">
      <h1 className="text-lg font-semibold text-amber-900">Your role can’t {what}</h1>
      <p className="mt-1 text-sm text-amber-900">Ask an owner or admin of this organization if you need this.</p>
    </div>
  );
}
