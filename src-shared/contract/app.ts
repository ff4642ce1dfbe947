import { z } from 'zod';
import { request } from './define';

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  dbPath: string;
  platform: string;
  arch: string;
  nodeVersion: string;
  pid: number;
  startedAt: number;
}

export const appRequests = {
  'app.info': request(z.object({}).strict()).returns<AppInfo>(),
};
