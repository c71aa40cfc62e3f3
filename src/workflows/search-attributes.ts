/** Custom search attributes the launcher registers, so the Web UI can list one batch's runs. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const BatchIdKey = defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD);
export const ScenarioIdKey = defineSearchAttributeKey('ScenarioId', SearchAttributeType.KEYWORD);
export const StageKey = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = { BatchId: 'Keyword', ScenarioId: 'Keyword', Stage: 'Keyword' } as const;
