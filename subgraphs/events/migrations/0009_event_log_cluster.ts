import { Migration } from '@mikro-orm/migrations';

/**
 * The event log's `clusterId` filter (a cluster's `replica.*` events name it in `data.clusterId`;
 * their subject is the replica): an index over only the events that name a cluster, so a cluster's
 * page reads its own events however busy the rest of the organization's log is.
 */
export class EventLogCluster extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index event_log_org_cluster on event_log (org_id, (data->>'clusterId'), seq) where data->>'clusterId' is not null`,
    );
  }
}
