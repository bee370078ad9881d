/** events's `/v1` routes (routes.tsv rows owned by events). */
import { defineRoutes } from '../route-table.ts';

export const eventsRoutes = defineRoutes([]);
