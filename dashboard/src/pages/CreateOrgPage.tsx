/** A signed-in person without an organization (or adding one): name it, and it is theirs (owner). */
import { useMutation } from '@apollo/client/react';
import { ErrorNote } from '../components/states.tsx';
import { CreateOrganizationDocument, MeDocument } from '../generated/operations.ts';
import { selectOrg } from '../session.ts';

export function CreateOrgForm({ onCreated }: { onCreated?(): void }) {
  const [create, { loading, error }] = useMutation(CreateOrganizationDocument, {
    refetchQueries: [MeDocument],
    awaitRefetchQueries: true,
  });
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        const name = String(new FormData(event.currentTarget).get('name') ?? '');
        const result = await create({ variables: { input: { name } } }).catch(() => undefined);
        if (result?.data) {
          selectOrg(result.data.createOrganization.id);
          onCreated?.();
        }
      }}
    >
      <label>
        Organization name <input name="name" required maxLength={100} />
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={loading}>
        Create organization
      </button>
    </form>
  );
}

export function CreateOrgPage() {
  return (
    <main className="auth">
      <h1>Trellis</h1>
      <section className="card" aria-labelledby="org-title">
        <h2 id="org-title">Create your organization</h2>
        <p className="muted">Workflows, keys, members and billing belong to an organization. You will be its owner.</p>
        <CreateOrgForm />
      </section>
    </main>
  );
}
