-- Lets row-level security keep the read path's indexes (run by scripts/migrate.ts after the migrations, every
-- time: it is idempotent, and a restore into a new server does not carry it, since pg_dump leaves pg_catalog out).
--
-- Under RLS, Postgres evaluates a query's own conditions after the policy unless their functions are LEAKPROOF,
-- and an index condition is evaluated before it. The enum comparisons (every status and severity filter) and ILIKE
-- (search) are not marked so, which leaves organizationId as the only index
-- condition and makes a large organization's filtered lists and counts read all its rows (bench/EXPLAIN.md).
--
-- Why marking them is safe: enum_eq/enum_ne compare two OIDs and cannot fail; the ordering comparisons fail only
-- for a value that is not a member of the enum, which a stored value always is; texticlike fails only on a
-- malformed pattern, a property of the query's own parameter (the code escapes it), not of a row. And nobody writes SQL as bulwark_tenant except this application, which also puts the
-- organization in every statement: RLS is the second wall against a bug of ours, not against a hostile query.
--
-- ALTER FUNCTION ... LEAKPROOF needs a superuser. Managed Postgres services do not give one: there this is skipped
-- with a notice, and everything stays correct, only slower for the largest organizations.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.enum_eq(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.enum_ne(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.enum_lt(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.enum_le(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.enum_gt(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.enum_ge(anyenum, anyenum) LEAKPROOF;
    ALTER FUNCTION pg_catalog.texticlike(text, text) LEAKPROOF;
  ELSE
    RAISE NOTICE 'not a superuser: enum comparisons and ILIKE stay non-LEAKPROOF (see prisma/leakproof.sql)';
  END IF;
END
$$;
