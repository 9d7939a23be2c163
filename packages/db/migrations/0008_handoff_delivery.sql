-- Issue 11: handoff notes (`handoff_recipients`, `handoff_asks`), the doc-link graph (`doc_links`, filled
-- as documents get revisions; `npx handoff reindex` fills it for documents written before), working
-- hours and delivery settings on `users`, and the delivery log (`deliveries`, `delivery_notices`). `maintenance_marks`: one-time work done.
CREATE TABLE `doc_links` (
	`doc_id` text NOT NULL,
	`target_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`doc_id`, `target_id`),
	FOREIGN KEY (`doc_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `doc_links_target_idx` ON `doc_links` (`target_id`);--> statement-breakpoint
CREATE TABLE `handoff_asks` (
	`doc_id` text NOT NULL,
	`user_id` text NOT NULL,
	`section` text NOT NULL,
	`text` text NOT NULL,
	`asked_by` text NOT NULL,
	`revision` integer NOT NULL,
	`asked_at` integer NOT NULL,
	`answered_at` integer,
	PRIMARY KEY(`doc_id`, `user_id`, `section`, `text`),
	FOREIGN KEY (`doc_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`asked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `handoff_asks_user_idx` ON `handoff_asks` (`user_id`,`asked_at`);--> statement-breakpoint
CREATE TABLE `handoff_recipients` (
	`doc_id` text NOT NULL,
	`recipient` text NOT NULL,
	`user_id` text,
	`space_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`doc_id`, `recipient`),
	FOREIGN KEY (`doc_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `handoff_recipients_user_idx` ON `handoff_recipients` (`user_id`);--> statement-breakpoint
CREATE INDEX `handoff_recipients_space_idx` ON `handoff_recipients` (`space_id`);--> statement-breakpoint
CREATE TABLE `maintenance_marks` (
	`name` text PRIMARY KEY NOT NULL,
	`done_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`brief_id` text NOT NULL,
	`user_id` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`local_date` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`brief_id`) REFERENCES `briefs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_user_channel_day_idx` ON `deliveries` (`user_id`,`channel`,`local_date`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_brief_idx` ON `deliveries` (`brief_id`);--> statement-breakpoint
CREATE TABLE `delivery_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`channel` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	`dismissed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `delivery_notices_user_idx` ON `delivery_notices` (`user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `work_days` text DEFAULT '[1,2,3,4,5]' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `work_start` text DEFAULT '09:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `work_end` text DEFAULT '17:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `away_until` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `delivery_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `webhook_url` text;--> statement-breakpoint
ALTER TABLE `users` ADD `webhook_secret` text;