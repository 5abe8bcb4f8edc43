// Shapes of the API's JSON, taken from the server's TypeBox schemas (src/**/schemas.ts) rather than copied: a change
// of a response on the server breaks the web build, not the user. Type-only imports, so Vite bundles no server code.
import type { Static } from 'typebox';
import type * as Auth from '../../../src/auth/schemas.ts';
import type * as Comments from '../../../src/conversations/comments/schemas.ts';
import type * as CustomFields from '../../../src/conversations/custom-fields/schemas.ts';
import type * as Conversations from '../../../src/conversations/schemas.ts';
import type * as Tags from '../../../src/conversations/tags/schemas.ts';
import type * as Audit from '../../../src/platform/audit/schemas.ts';
import type * as Http from '../../../src/platform/http/schemas.ts';
import type * as Jobs from '../../../src/platform/jobs/schemas.ts';
import type * as SettingsService from '../../../src/settings/service.ts';
import type * as Saved from '../../../src/search/saved/schemas.ts';
import type * as Search from '../../../src/search/schemas.ts';

export type {
  Channel,
  CustomDataCondition,
  Direction as FilterDirection,
  FilterView,
  SearchFilterInput,
  SpeechTagCondition,
} from '../../../src/search/filter.ts';
export type { ConfidenceLevel as Confidence, DurationBucket } from '../../../src/search/filters/loose-input.ts';
export type { Period, PeriodKind } from '../../../src/search/filters/periods.ts';
export type { CustomDataOp, CustomDataOpName, CustomFieldType } from '../../../src/search/filters/custom-data.ts';
import type { SearchFilterInput } from '../../../src/search/filter.ts';

export type PublicConfig = Static<typeof Http.PublicConfig>;

// Identity and administration.
export type RoleRef = Static<typeof Auth.RoleRef>;
export type Me = Static<typeof Auth.Me>;
export type ApiToken = Static<typeof Auth.Token>;
export type PermissionInfo = Static<typeof Auth.Permission>;
export type Role = Static<typeof Auth.Role>;
export type User = Static<typeof Auth.User>;
/** The user form sends a create (with a password, added by the form) or a patch. */
export type UserInput = Omit<Static<typeof Auth.UserCreate>, 'password'> & Pick<Static<typeof Auth.UserPatch>, 'disabled'>;
export type Group = Static<typeof Auth.Group>;
export type Site = Static<typeof Auth.Site>;
/** The settings route declares its schema inline; its handler returns what the service gives. */
export type Settings = Awaited<ReturnType<typeof SettingsService.getSettings>>;
export type AuditChange = Static<typeof Audit.AuditChange>;
export type AuditEvent = Static<typeof Audit.AuditEvent>;
/** The audit screen's filters: the query without paging. */
export type AuditFilters = Omit<Static<typeof Audit.AuditQuery>, 'limit' | 'cursor'>;
export type AuditVerify = Static<typeof Audit.AuditVerify>;
export type AuditVocabulary = Static<typeof Audit.AuditVocabulary>;
export type Job = Static<typeof Jobs.Job>;

export interface Items<T> {
  items: T[];
}

export interface Page<T> {
  total: number;
  items: T[];
}

// Conversations.
export type Direction = Static<typeof Conversations.Direction>;
export type PartyRole = Static<typeof Conversations.Role>;
export type Participant = Static<typeof Conversations.ParticipantView>;
export type AppliedTag = Static<typeof Conversations.TagView>;
export type ConversationSummary = Static<typeof Conversations.ConversationSummary>;
export type ConversationDetail = Static<typeof Conversations.ConversationDetail>;
export type Segment = Static<typeof Conversations.SegmentView>;
export type SegmentKind = Segment['kind'];
export type MediaStream = Segment['streams'][number];
export type SegmentEvent = Segment['events'][number];
export type ChatMessage = Segment['messages'][number];
export type EmailMessage = NonNullable<Segment['email']>;
export type MailAddress = EmailMessage['from'];
export type ConversationComment = Static<typeof Conversations.CommentView>;
export type CommentVisibility = NonNullable<CommentInput['visibility']>;
export type CommentInput = Static<typeof Comments.CommentCreate>;
export type CustomFieldValue = ConversationDetail['customFieldValues'][number];
export type TagDefinition = Static<typeof Tags.TagDefinition>;
export type CustomFieldDefinition = Static<typeof CustomFields.CustomField>;

// Search.
export type SearchPage = Static<typeof Search.SearchResult>;
export type SearchRow = SearchPage['items'][number];
export type SearchHighlight = NonNullable<SearchRow['highlight']>;
export type TextRange = SearchHighlight['ranges'][number];
export type FilterChip = SearchPage['chips'][number];
export type SearchSort = NonNullable<SearchFilterInput['sort']>;
export type SearchOptions = Static<typeof Search.SearchOptions>;
export type AgentSuggestion = Static<typeof Search.AgentSuggestions>['items'][number];
export type ConversationHighlight = Static<typeof Search.ConversationHighlights>['items'][number];
export type HighlightPlace = ConversationHighlight['where'];
export type SavedSearch = Static<typeof Saved.SavedSearch>;
export type SavedSearchDeleted = Static<typeof Saved.SavedSearchDeleted>;

/** What the list asks the server for: the page size and the search filter (the text query included). */
export interface ConversationListQuery {
  limit: number;
  filter: SearchFilterInput;
}

/** The fields a filter chip (and its editor) stands for. */
export type FilterField = Exclude<keyof SearchFilterInput, 'version' | 'q'>;
