/** One notification as its recipient sees it, in the reader's language. */
export interface NotificationView {
  id: number;
  source: string;
  title: string;
  body: string | null;
  link: string | null;
  dueDate: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

/** A notification row in both languages, before a reader's language is picked. */
export interface NotificationRow {
  id: number;
  userId: number;
  source: string;
  dedupeKey: string;
  titleVi: string;
  titleEn: string;
  bodyVi: string | null;
  bodyEn: string | null;
  link: string | null;
  dueDate: string | null;
  readAt: string | null;
  createdAt: string;
}

/** Where a batch of notifications comes from. */
export interface DeliveryOrigin {
  pluginId: string;
  /** `<plugin id>/<reminder id>` */
  source: string;
  runId?: number;
  /** Never told: the person whose own step raised the notice. */
  exceptUserId?: number;
  /** Never told either (an action's owner, who does not verify their own work). */
  exceptUserIds?: number[];
}

/** What `deliver` did with a handler's drafts. */
export interface DeliverResult {
  /** Drafts received. */
  drafts: number;
  /** Drafts refused as malformed, each with its reason. */
  invalid: string[];
  /** Drafts whose recipient resolved to nobody (no active user holds the role). */
  unaddressed: number;
  /** Inbox rows created. */
  created: number;
  /** Rows not created because that user already had the key. */
  duplicates: number;
  /** E-mails queued. */
  emails: number;
  /** The names of the people given a new notice, in the order told. */
  told: string[];
}

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** An e-mail as the admin page shows it. */
export interface DeliveryView {
  id: number;
  notificationId: number;
  address: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
  title: string;
}

export interface MailOverview {
  configured: boolean;
  counts: Record<DeliveryStatus, number>;
  /** E-mails that failed at least once and are not sent yet, newest first. */
  problems: DeliveryView[];
}
