export function StatusDot({ ok }: { ok: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`mr-1 inline-block size-2 rounded-full align-middle ${ok ? 'bg-emerald-500' : 'bg-red-600'}`}
    />
  );
}
