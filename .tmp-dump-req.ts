import { FRAMEWORKS, listRequirementControls } from '/work/main/lib/frameworks';
for (const f of FRAMEWORKS) {
  const m = listRequirementControls(f.id);
  console.log('##', f.id);
  for (const r of f.requirements) {
    const c = m.get(r.id) ?? [];
    if (r.notApplicableReason || r.assessment === 'manual' || c.length === 0) continue;
    console.log(r.id, r.assessment, c.join(','));
  }
}
