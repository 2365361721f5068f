import { templateFor } from '../../../shared/domain/messages/locale.ts';
import { withAutofillLines, type MessageOptions } from '../../../shared/domain/messages/message-options.ts';
import { messageInfo, renderTemplate } from '../../../shared/domain/sms-encoding.ts';

/** A code of the policy's length to show in the preview: 1, 2, 3 ... (never a code that was sent). */
export const sampleCode = (length: number) => Array.from({ length }, (_, i) => String((i + 1) % 10)).join('');

/**
 * The whole message as a phone shows it, rendered by the domain's own modules (bundled into the page):
 * the language's template, the application's autofill lines, a sample code; with its encoding and segments.
 */
export function MessagePreview(props: {
  smsAuth: { messageTemplate: string; messageTemplates?: Record<string, string> };
  locale: string;
  options: MessageOptions;
  codeLength: number;
}) {
  const template = withAutofillLines(templateFor(props.smsAuth, props.locale || undefined), props.options);
  const text = renderTemplate(template, sampleCode(props.codeLength));
  const info = messageInfo(text);
  return (
    <figure aria-label="Message preview" class="message-preview">
      <figcaption>
        Message preview ({info.encoding}, {info.segments} {info.segments === 1 ? 'segment' : 'segments'})
      </figcaption>
      <pre data-testid="message-preview">{text}</pre>
    </figure>
  );
}
