/** governance's `/v1` routes (routes.tsv rows owned by governance). */
import { defineRoutes } from '../route-table.ts';

export const governanceRoutes = defineRoutes([]);
