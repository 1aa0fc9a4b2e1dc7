export type PersonRef = { name: string | null; email: string };

/** How a person is named on a page: their name when they have one, else their email. */
export function personName(person: PersonRef | null | undefined, nobody = 'someone'): string {
  if (!person) return nobody;
  return person.name?.trim() || person.email;
}
