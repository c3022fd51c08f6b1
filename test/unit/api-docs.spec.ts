import { readFileSync } from 'node:fs';
import { STANDARD_PARAMETERS } from '../../libs/domain/src/index.js';
import { APPLICATION_EXAMPLE } from '../../apps/gateway/src/applications/application.examples.js';
import { checkApplication } from '../../apps/gateway/src/applications/check-application.js';
import { submitApplicationRequest } from '../../apps/gateway/src/applications/submit-application.request.js';

// docs/api.md shows a portal's application body for newcomers to paste; it must stay valid as the rules change.
const apiDoc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The first ```json block after the "Request" paragraph of the Applications API. */
function documentedApplication(): unknown {
  const from = apiDoc.indexOf('\nRequest (');
  const block = /```json\n([\s\S]*?)\n```/.exec(apiDoc.slice(from));
  if (from < 0 || block === null) throw new Error('docs/api.md has no JSON request example');
  return JSON.parse(block[1]!);
}

describe('the application example of docs/api.md', () => {
  it('is the OpenAPI example, as plain JSON', () => {
    expect(documentedApplication()).toEqual(APPLICATION_EXAMPLE);
  });

  it('passes the gateway validation for a portal allowed the item', () => {
    const request = submitApplicationRequest.parse(documentedApplication());
    const checked = checkApplication(request, {
      today: '2026-06-01',
      allowedItems: new Set([request.itemCode]),
      parameters: STANDARD_PARAMETERS,
    });
    expect(checked.routing.accepting.divisionCode).toBe('650102002');
  });
});
