import { migrate, openDatabase } from '@parley/db';
const db = openDatabase(':memory:');
await migrate(db);
for (const sql of ['DELETE FROM messages WHERE visitor_id = ? AND account_id = ?', 'DELETE FROM conversations WHERE visitor_id = ?']) {
  console.log(sql, db.sqlite.prepare('EXPLAIN QUERY PLAN ' + sql).all('a', 'b'));
}
console.log(db.sqlite.prepare("select sql from sqlite_master where tbl_name='messages'").all());
