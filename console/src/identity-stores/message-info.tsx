import { templateInfo, templateProblems } from '../../../shared/domain/sms-encoding.ts';

/**
 * The live encoding and segment count of the text message, computed by the domain's own module (bundled
 * into the page) for a code of the policy's length, so that the page and the API's `messageInfo` agree.
 */
export function MessageInfo({ template, codeLength }: { template: string; codeLength: string }) {
  const length = /^\d{1,2}$/.test(codeLength.trim()) ? Number(codeLength) : 0;
  const info = templateInfo(template, length);
  const problems = templateProblems(template);
  return (
    <span aria-live="polite">
      <span data-testid="message-encoding">{info.encoding}</span>,{' '}
      <span data-testid="message-segments">
        {info.segments} {info.segments === 1 ? 'segment' : 'segments'}
      </span>{' '}
      ({info.length} {info.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units'} with a {length}-digit code)
      {problems.length ? <span class="warning">. The text message {problems.join(', ')}.</span> : null}
    </span>
  );
}
