// OpenAPI documents for tests, as plain objects (configDir writes them as YAML).
export const ok = { '200': { description: 'OK' } };

export function ordersDocV2(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Orders', version: '2' },
    paths: {
      '/orders': { get: { operationId: 'listOrders', responses: ok } },
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getOrder', responses: ok },
      },
      '/orders/{id}/summary': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getOrderSummary',
          deprecated: true,
          'x-deprecated-at': '2025-03-01T00:00:00Z',
          'x-sunset': '2027-01-01T00:00:00Z',
          'x-successor': 'getOrder',
          externalDocs: { url: 'https://example.com/deprecations/order-summary' },
          responses: ok,
        },
      },
      '/orders/search': {
        post: {
          operationId: 'searchOrders',
          deprecated: true,
          'x-deprecated-at': '2025-01-01T00:00:00Z',
          'x-sunset': '2025-06-01T00:00:00Z',
          'x-successor': 'GET /orders',
          responses: ok,
        },
      },
    },
  };
}
