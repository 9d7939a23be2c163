// Names for the delivery parts of the contract (generated types only, as in api/model.ts).

import type { components } from '../../api/schema.gen.ts';

type Schemas = components['schemas'];

export type DeliveryStatus = Schemas['DeliveryStatusResponse'];
export type NextDelivery = NonNullable<DeliveryStatus['next']>;
export type DeliveryNotice = Schemas['DeliveryNotice'];
export type DeliveryLogEntry = Schemas['DeliveryLogEntry'];
