/**
 * VMs and clusters: create a VM from the catalog (price per hour shown before creating), and the
 * lifecycle buttons each status allows. Statuses update live from compute's events. A VM's or a
 * cluster's details show its transition log (its events); a cluster's also its replicas' health.
 */
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmButton } from '../components/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../components/states.tsx';
import { TransitionLog } from '../components/transitions.tsx';
import { when } from '../format.ts';
import {
  CatalogDocument,
  ClusterHealthDocument,
  ComputeDocument,
  type ComputeQuery,
  CreateVmDocument,
  RestartClusterDocument,
  RestartVmDocument,
  StopClusterDocument,
  StopVmDocument,
  TerminateClusterDocument,
  TerminateVmDocument,
  VmTransitionsDocument,
} from '../generated/operations.ts';
import { useRefetchOnEvents } from '../live.ts';
import { useOrg } from '../org.tsx';

const cents = (value: number) => (value / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

function useCompute(orgId: string) {
  const result = useQuery(ComputeDocument, { variables: { orgId } });
  useRefetchOnEvents(orgId, ['vm.*', 'cluster.*', 'replica.*'], result.refetch);
  return result;
}

function CreateVmForm() {
  const { orgId } = useOrg();
  const catalog = useQuery(CatalogDocument);
  const [create, created] = useMutation(CreateVmDocument, { refetchQueries: [ComputeDocument] });
  const gpus = catalog.data?.pricing.gpus ?? [];
  if (catalog.error) return <ErrorNote error={catalog.error} />;
  if (gpus.length === 0) return null;
  return (
    <form
      className="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const [gpuModelId, tier] = String(data.get('gpu')).split('|');
        const input = { name: String(data.get('name')), gpuModelId, tier, gpuCount: Number(data.get('count')) };
        const result = await create({ variables: { orgId, input } }).catch(() => undefined);
        if (result?.data) form.reset();
      }}
    >
      <label>
        VM name <input name="name" required maxLength={63} />
      </label>
      <label>
        GPU (price per GPU-hour)
        <select name="gpu">
          {gpus.map((g) => (
            <option key={`${g.gpuModelId}|${g.tier}`} value={`${g.gpuModelId}|${g.tier}`}>
              {g.gpuModelName} · {g.tier} · {cents(g.pricePerGpuHourCents)}/h
            </option>
          ))}
        </select>
      </label>
      <label>
        GPUs <input name="count" type="number" min={1} max={8} defaultValue={1} required />
      </label>
      <button type="submit" className="primary" disabled={created.loading}>
        Create VM
      </button>
      <ErrorNote error={created.error} />
    </form>
  );
}

type Vm = ComputeQuery['vms']['items'][number];
type Cluster = ComputeQuery['clusters']['items'][number];

function VmActions({ vm }: { vm: Vm }) {
  const variables = { id: vm.id };
  const [stop, stopped] = useMutation(StopVmDocument);
  const [restart, restarted] = useMutation(RestartVmDocument);
  const [terminate, terminated] = useMutation(TerminateVmDocument);
  if (vm.status === 'TERMINATED' || vm.status === 'TERMINATING') return null;
  return (
    <div className="actions">
      {vm.status === 'RUNNING' && (
        <button type="button" aria-label={`Stop ${vm.name}`} onClick={() => stop({ variables }).catch(() => undefined)}>
          Stop
        </button>
      )}
      {(vm.status === 'STOPPED' || vm.status === 'FAILED') && (
        <button
          type="button"
          aria-label={`Restart ${vm.name}`}
          onClick={() => restart({ variables }).catch(() => undefined)}
        >
          Restart
        </button>
      )}
      <ConfirmButton
        label="Terminate"
        ariaLabel={`Terminate ${vm.name}`}
        title={`Terminate ${vm.name}?`}
        confirmLabel="Terminate VM"
        danger
        onConfirm={() => terminate({ variables }).catch(() => undefined)}
      >
        The VM and its disk are deleted; billing stops.
      </ConfirmButton>
      <ErrorNote error={stopped.error ?? restarted.error ?? terminated.error} />
    </div>
  );
}

function ClusterActions({ cluster }: { cluster: Cluster }) {
  const variables = { id: cluster.id };
  const [stop, stopped] = useMutation(StopClusterDocument);
  const [restart, restarted] = useMutation(RestartClusterDocument);
  const [terminate, terminated] = useMutation(TerminateClusterDocument);
  if (cluster.status === 'TERMINATED') return null;
  return (
    <div className="actions">
      {cluster.status === 'STOPPED' ? (
        <button
          type="button"
          aria-label={`Restart ${cluster.name}`}
          onClick={() => restart({ variables }).catch(() => undefined)}
        >
          Restart
        </button>
      ) : (
        <button
          type="button"
          aria-label={`Stop ${cluster.name}`}
          onClick={() => stop({ variables }).catch(() => undefined)}
        >
          Stop
        </button>
      )}
      <ConfirmButton
        label="Terminate"
        ariaLabel={`Terminate ${cluster.name}`}
        title={`Terminate ${cluster.name}?`}
        confirmLabel="Terminate cluster"
        danger
        onConfirm={() => terminate({ variables }).catch(() => undefined)}
      >
        Every replica is deleted; the endpoint stops answering.
      </ConfirmButton>
      <ErrorNote error={stopped.error ?? restarted.error ?? terminated.error} />
    </div>
  );
}

function VmDetail({ id, name, onClose }: { id: string; name: string; onClose: () => void }) {
  const { orgId } = useOrg();
  const log = useQuery(VmTransitionsDocument, { variables: { id, orgId } });
  useRefetchOnEvents(orgId, ['vm.*'], log.refetch);
  return (
    <section className="card" aria-labelledby="vm-detail-title" data-testid="vm-detail">
      <h2 id="vm-detail-title">VM {name}: transitions</h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {log.data ? (
        <TransitionLog label={`Transitions of VM ${name}`} events={log.data.events.items} />
      ) : log.loading ? (
        <Loading what="the transitions" />
      ) : (
        <ErrorNote error={log.error} />
      )}
    </section>
  );
}

/** The last health change of each replica (`replica.healthy` / `replica.unhealthy`), newest wins. */
function lastHealthChanges(events: { seq: number; type: string; occurredAt: string; data: unknown }[]) {
  const last = new Map<string, { seq: number; occurredAt: string }>();
  for (const e of events) {
    if (e.type !== 'replica.healthy' && e.type !== 'replica.unhealthy') continue;
    const replicaId = (e.data as { replicaId?: string } | null)?.replicaId;
    if (!replicaId) continue;
    const known = last.get(replicaId);
    if (!known || known.seq < e.seq) last.set(replicaId, { seq: e.seq, occurredAt: e.occurredAt });
  }
  return last;
}

function ClusterDetail({ id, name, onClose }: { id: string; name: string; onClose: () => void }) {
  const { orgId } = useOrg();
  const health = useQuery(ClusterHealthDocument, { variables: { id, orgId } });
  useRefetchOnEvents(orgId, ['cluster.*', 'replica.*'], health.refetch);
  const data = health.data;
  // Replica events name their cluster in `data.clusterId` (their subject is the replica): the server
  // filters on it, so other clusters' replicas cannot push this one's events out of the page.
  const replicaEvents = data?.replicaEvents.items ?? [];
  const changes = lastHealthChanges(replicaEvents);
  return (
    <section className="card" aria-labelledby="cluster-detail-title" data-testid="cluster-detail">
      <h2 id="cluster-detail-title">Cluster {name}</h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      {!data ? (
        health.loading ? (
          <Loading what="the cluster" />
        ) : (
          <ErrorNote error={health.error} />
        )
      ) : (
        <>
          <h3>Replicas</h3>
          {!data.clusterDetail || data.clusterDetail.replicas.length === 0 ? (
            <Empty>No replicas yet: they appear as the scheduler places them on nodes.</Empty>
          ) : (
            <table>
              <caption className="visually-hidden">Replicas of {name}</caption>
              <thead>
                <tr>
                  <th scope="col">Replica</th>
                  <th scope="col">Node</th>
                  <th scope="col">State</th>
                  <th scope="col">Health</th>
                  <th scope="col">Last health change</th>
                </tr>
              </thead>
              <tbody>
                {data.clusterDetail.replicas.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>
                      {r.nodeId ?? '—'}
                      {r.region && <div className="muted">{r.region}</div>}
                    </td>
                    <td>
                      {r.status}
                      {r.statusReason && <div className="muted">{r.statusReason}</div>}
                    </td>
                    <td>{r.healthy ? 'healthy' : 'unhealthy'}</td>
                    <td>{changes.has(r.id) ? when(changes.get(r.id)?.occurredAt as string) : 'none yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Transitions</h3>
          <TransitionLog
            label={`Transitions of cluster ${name}`}
            events={[...data.clusterEvents.items, ...replicaEvents]}
          />
        </>
      )}
    </section>
  );
}

export function ComputePage() {
  const { orgId, can } = useOrg();
  const { data, error, loading } = useCompute(orgId);
  const writable = can('compute:write');
  const [openVm, setOpenVm] = useState<{ id: string; name: string } | null>(null);
  const [openCluster, setOpenCluster] = useState<{ id: string; name: string } | null>(null);
  return (
    <>
      <h1>VMs and clusters</h1>
      {writable && <CreateVmForm />}
      {!data ? (
        loading ? (
          <Loading what="VMs and clusters" />
        ) : (
          <ErrorNote error={error} />
        )
      ) : (
        <>
          <section className="card" aria-labelledby="vms-title">
            <h2 id="vms-title">VMs</h2>
            {data.vms.items.length === 0 ? (
              <Empty>No VMs. Pick a GPU above; the price per hour is shown before you create it.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">GPU</th>
                    <th scope="col">Region</th>
                    <th scope="col">Price</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.vms.items.map((vm) => (
                    <tr key={vm.id}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-label={`Transitions of VM ${vm.name}`}
                          onClick={() => setOpenVm({ id: vm.id, name: vm.name })}
                        >
                          {vm.name}
                        </button>
                      </td>
                      <td>
                        {vm.status}
                        {vm.statusReason && <div className="muted">{vm.statusReason}</div>}
                      </td>
                      <td>
                        {vm.gpuCount} × {vm.gpuModelId} ({vm.tier})
                      </td>
                      <td>{vm.region ?? '—'}</td>
                      <td>{cents(vm.pricePerHourCents)}/h</td>
                      <td>{when(vm.createdAt)}</td>
                      <td>{writable && <VmActions vm={vm} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {openVm && <VmDetail key={openVm.id} {...openVm} onClose={() => setOpenVm(null)} />}
          <section className="card" aria-labelledby="clusters-title">
            <h2 id="clusters-title">Clusters</h2>
            {data.clusters.items.length === 0 ? (
              <Empty>No clusters. Create one through the API (createCluster) to serve a model on replicas.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Replicas</th>
                    <th scope="col">Price</th>
                    <th scope="col">Endpoint</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.clusters.items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-label={`Details of cluster ${c.name}`}
                          onClick={() => setOpenCluster({ id: c.id, name: c.name })}
                        >
                          {c.name}
                        </button>
                      </td>
                      <td>
                        {c.status}
                        {c.statusReason && <div className="muted">{c.statusReason}</div>}
                      </td>
                      <td>
                        {c.replicaCount} × {c.gpusPerReplica} {c.gpuModelId}
                      </td>
                      <td>{cents(c.pricePerHourCents)}/h</td>
                      <td>{c.endpointUrl ? <code>{c.endpointUrl}</code> : '—'}</td>
                      <td>{writable && <ClusterActions cluster={c} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {openCluster && <ClusterDetail key={openCluster.id} {...openCluster} onClose={() => setOpenCluster(null)} />}
        </>
      )}
    </>
  );
}
