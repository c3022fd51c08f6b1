/**
 * The minimum-living procedure as BPMN 2.0 for the bpmn-engine peer: the same steps and decisions as the
 * XState machine's happy path (accept, investigate, street review, public notice ends,
 * approve), each decision followed by an exclusive gateway that routes a rejection to its own end.
 */
const userTask = (id: string, next: string) => `
    <userTask id="${id}" name="${id}" />
    <sequenceFlow id="${id}-to-gw" sourceRef="${id}" targetRef="${id}-gw" />
    <exclusiveGateway id="${id}-gw" default="${id}-rejected" />
    <sequenceFlow id="${id}-approved" sourceRef="${id}-gw" targetRef="${next}">
      <conditionExpression xsi:type="tFormalExpression">\${environment.services.approved(environment.output.${id})}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="${id}-rejected" sourceRef="${id}-gw" targetRef="rejected" />`;

export const MINIMUM_LIVING_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="minimum-living-definitions" targetNamespace="http://minsheng.example/bpmn">
  <message id="noticePeriodEnded" name="NOTICE_PERIOD_ENDED" />
  <process id="minimumLiving" isExecutable="true">
    <startEvent id="submitted" />
    <sequenceFlow id="to-acceptance" sourceRef="submitted" targetRef="acceptance" />
    ${userTask('acceptance', 'investigation')}
    ${userTask('investigation', 'streetReview')}
    ${userTask('streetReview', 'publicNotice')}
    <intermediateCatchEvent id="publicNotice">
      <messageEventDefinition messageRef="noticePeriodEnded" />
    </intermediateCatchEvent>
    <sequenceFlow id="to-approval" sourceRef="publicNotice" targetRef="approval" />
    ${userTask('approval', 'approved')}
    <endEvent id="approved" />
    <endEvent id="rejected" />
  </process>
</definitions>`;

/** The waits of the happy path in order, and what the reviewer (or the notice clock) signals at each. */
export const BPMN_SIGNALS: readonly { id: string; message: Record<string, unknown> }[] = [
  { id: 'acceptance', message: { outcome: 'approve' } },
  {
    id: 'investigation',
    message: { outcome: 'approve', findings: { homeVisitDate: '2025-03-04', dataCheck: 'consistent' } },
  },
  { id: 'streetReview', message: { outcome: 'approve' } },
  { id: 'noticePeriodEnded', message: {} },
  { id: 'approval', message: { outcome: 'approve' } },
];
