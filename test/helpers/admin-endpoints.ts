// Every admin endpoint behind the bearer token, with the method that reaches it.
export const GUARDED_ADMIN_ENDPOINTS: [string, string][] = [
  ['GET', '/metrics'],
  ['GET', '/admin/config'],
  ['GET', '/admin/canaries'],
  ['GET', '/admin/shadow'],
  ['POST', '/admin/reload'],
];
