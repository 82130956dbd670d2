-- Web sign-in for staff, supervisors and auditors: an account may also have a username and a password (argon2id,
-- PHC string; the password itself is never stored), and signed-in browsers hold a session: a random token in a
-- cookie, of which only the SHA-256 is kept here, with when it expires and when it was ended (sign-out, revocation).

ALTER TABLE users ADD COLUMN username text UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$');
ALTER TABLE users ADD COLUMN password_hash text;
ALTER TABLE users ADD COLUMN password_set_at timestamptz;

CREATE TABLE web_sessions (
  token_hash bytea PRIMARY KEY,  -- SHA-256 of the cookie's token
  user_id    text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at   timestamptz
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
