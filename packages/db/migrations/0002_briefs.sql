CREATE TABLE `briefs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`since` integer NOT NULL,
	`until` integer NOT NULL,
	`writer` text NOT NULL,
	`reading_seconds` integer NOT NULL,
	`markdown` text NOT NULL,
	`items` text NOT NULL,
	`omitted` integer DEFAULT 0 NOT NULL,
	`omitted_docs` text DEFAULT '[]' NOT NULL,
	`scheduled_for` text,
	`created_at` integer NOT NULL,
	`acknowledged_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `briefs_user_created_idx` ON `briefs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `briefs_user_scheduled_idx` ON `briefs` (`user_id`,`scheduled_for`);