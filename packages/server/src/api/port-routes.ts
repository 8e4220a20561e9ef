// Ports (reference §1.3–1.5, §1.9): GET /v1/ports, one port, its FaxStatus (what Refresh reads), every port's status,
// and its routing methods.

import { API_PREFIX } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';
import { faxPortInfo, faxStatus } from './port-schemas.js';
import { deviceIdParams, errorBody } from './schemas.js';

const ports = ['ports'];

export function registerPortRoutes(app: FastifyInstance, service: FaxService): void {
  app.get(`${API_PREFIX}/ports`, {
    schema: { tags: ports, summary: 'The ports (FaxPorts)', response: { 200: { type: 'array', items: faxPortInfo } } },
    handler: async () => service.clusterPorts(),
  });
  app.get<{ Params: { deviceId: string } }>(`${API_PREFIX}/ports/:deviceId`, {
    schema: {
      tags: ports,
      summary: 'One port',
      params: deviceIdParams,
      response: { 200: faxPortInfo, 404: errorBody },
    },
    handler: async (request) => service.port(Number(request.params.deviceId)),
  });
  app.get<{ Params: { deviceId: string } }>(`${API_PREFIX}/ports/:deviceId/status`, {
    schema: {
      tags: ports,
      summary: "A port's FaxStatus, read fresh (FaxStatus.Refresh)",
      params: deviceIdParams,
      response: { 200: faxStatus, 404: errorBody },
    },
    handler: async (request) => service.portStatusSeenBy(Number(request.params.deviceId), request.caller),
  });
  app.get<{ Params: { deviceId: string } }>(`${API_PREFIX}/ports/:deviceId/routing-methods`, {
    schema: { tags: ports, summary: "A port's routing methods", params: deviceIdParams },
    handler: async (request) => service.routingMethods(Number(request.params.deviceId)),
  });
  app.get(`${API_PREFIX}/status`, {
    schema: {
      tags: ports,
      summary: 'Every port’s FaxStatus, in port order',
      response: { 200: { type: 'array', items: faxStatus } },
    },
    handler: async (request) => service.allPortStatus(request.caller),
  });
}
